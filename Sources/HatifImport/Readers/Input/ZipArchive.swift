import CZlib

/// A zip file's central directory (zip64 included), read without trusting it: every size and offset is
/// checked against the file, and an entry's data is streamed (``entryStream(_:)``) with its sizes, CRC-32
/// and ``ArchiveLimits`` checked as it inflates. Entry names are labels only, never paths: nothing is
/// ever written where an entry's name points.
struct ZipArchive {
    /// One entry of the directory.
    struct Entry: Sendable, Equatable {
        /// Its name as stored (`xl/worksheets/sheet1.xml`, `../evil.csv`, …).
        var name: String
        var method: UInt16
        var flags: UInt16
        var crc: UInt32
        var compressedSize: Int64
        var size: Int64
        var localHeaderOffset: Int64

        /// Whether it is encrypted (the traditional or the strong scheme).
        var isEncrypted: Bool { flags & 0x0001 != 0 || flags & 0x0040 != 0 }
        /// Whether it is a folder.
        var isFolder: Bool { name.hasSuffix("/") }
    }

    /// The archive as the user named it.
    let path: String
    /// The entries, in directory order.
    let entries: [Entry]
    private let file: InputFile
    private let limits: ArchiveLimits

    /// Reads the central directory of the zip file at `path`.
    init(path: String, limits: ArchiveLimits = ArchiveLimits()) throws(ReaderError) {
        try self.init(file: try InputFile(rawPath: path), label: path, limits: limits)
    }

    /// Reads the central directory of `file`, named `label` in errors.
    init(file: InputFile, label: String, limits: ArchiveLimits = ArchiveLimits()) throws(ReaderError) {
        self.path = label
        self.file = file
        self.limits = limits
        func broken(_ reason: String) -> ReaderError { .badArchive(path: label, reason: reason) }
        // The end of central directory record: 22 bytes and a comment of at most 65,535, at the very end.
        let tailLength = Int(min(file.size, 22 + 65_535))
        var tail: [UInt8] = []
        _ = try file.read(at: file.size - Int64(tailLength), count: tailLength, into: &tail)
        guard tail.count >= 22, let eocd = stride(from: tail.count - 22, through: 0, by: -1).first(where: { Self.u32(tail, $0) == 0x0605_4B50 })
        else { throw broken("it is not a zip archive, or it is truncated (no end of central directory record)") }
        var count = Int64(Self.u16(tail, eocd + 10))
        var directorySize = Int64(Self.u32(tail, eocd + 12))
        var directoryOffset = Int64(Self.u32(tail, eocd + 16))
        let eocdOffset = file.size - Int64(tailLength) + Int64(eocd)
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // zip64: a locator just before the record points at the zip64 end of central directory record.
            var locator: [UInt8] = []
            guard eocdOffset >= 20, try file.read(at: eocdOffset - 20, count: 20, into: &locator) == 20, Self.u32(locator, 0) == 0x0706_4B50
            else { throw broken("its zip64 end of central directory locator is missing") }
            var record: [UInt8] = []
            let recordOffset = Int64(Self.u64(locator, 8))
            guard recordOffset >= 0, recordOffset < file.size, try file.read(at: recordOffset, count: 56, into: &record) == 56,
                Self.u32(record, 0) == 0x0606_4B50
            else { throw broken("its zip64 end of central directory record is missing") }
            count = Int64(Self.u64(record, 32))
            directorySize = Int64(Self.u64(record, 40))
            directoryOffset = Int64(Self.u64(record, 48))
        }
        guard count <= Int64(limits.maxEntries) else { throw broken("it lists \(count) entries, more than the \(limits.maxEntries) allowed") }
        guard directoryOffset >= 0, directorySize >= 0, directoryOffset + directorySize <= file.size, directorySize <= 64 << 20 else {
            throw broken("its central directory lies outside the file (a truncated archive?)")
        }
        var directory: [UInt8] = []
        _ = try file.read(at: directoryOffset, count: Int(directorySize), into: &directory)
        var entries: [Entry] = []
        var at = 0
        for _ in 0..<count {
            guard at + 46 <= directory.count, Self.u32(directory, at) == 0x0201_4B50 else {
                throw broken("its central directory is damaged at entry \(entries.count + 1)")
            }
            let nameLength = Int(Self.u16(directory, at + 28))
            let extraLength = Int(Self.u16(directory, at + 30))
            let commentLength = Int(Self.u16(directory, at + 32))
            guard at + 46 + nameLength + extraLength + commentLength <= directory.count else {
                throw broken("its central directory is damaged at entry \(entries.count + 1)")
            }
            let flags = Self.u16(directory, at + 8)
            let nameBytes = directory[(at + 46)..<(at + 46 + nameLength)]
            // Names are UTF-8 when bit 11 says so; older tools wrote code page 437, read here as Latin-1.
            let name = flags & 0x0800 != 0 || nameBytes.allSatisfy({ $0 < 0x80 })
                ? String(decoding: nameBytes, as: UTF8.self) : String(nameBytes.map { Character(Unicode.Scalar($0)) })
            var entry = Entry(
                name: name, method: Self.u16(directory, at + 10), flags: flags, crc: Self.u32(directory, at + 16),
                compressedSize: Int64(Self.u32(directory, at + 20)), size: Int64(Self.u32(directory, at + 24)),
                localHeaderOffset: Int64(Self.u32(directory, at + 42)))
            // The zip64 extra field holds the 64-bit values of the fields set to 0xFFFFFFFF, in this order.
            var extra = at + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let id = Self.u16(directory, extra)
                let length = Int(Self.u16(directory, extra + 2))
                if id == 0x0001 {
                    var field = extra + 4
                    func next() -> Int64? {
                        guard field + 8 <= min(extraEnd, extra + 4 + length) else { return nil }
                        defer { field += 8 }
                        return Int64(bitPattern: Self.u64(directory, field))
                    }
                    if entry.size == 0xFFFF_FFFF, let value = next() { entry.size = value }
                    if entry.compressedSize == 0xFFFF_FFFF, let value = next() { entry.compressedSize = value }
                    if entry.localHeaderOffset == 0xFFFF_FFFF, let value = next() { entry.localHeaderOffset = value }
                }
                extra += 4 + length
            }
            entries.append(entry)
            at += 46 + nameLength + extraLength + commentLength
        }
        self.entries = entries
    }

    /// The entry named `name`, if any.
    func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    /// A stream of `entry`'s inflated bytes, checked as it goes: the limits, then at its end the size and
    /// CRC-32 the directory gives.
    func entryStream(_ entry: Entry) throws(ReaderError) -> ByteStream {
        let label = "\(path)!\(entry.name)"
        func broken(_ reason: String) -> ReaderError { .badArchive(path: label, reason: reason) }
        guard !entry.isEncrypted else { throw broken("the entry is encrypted; decrypt the archive first") }
        guard entry.method == 0 || entry.method == 8 else {
            throw broken("the entry is compressed with method \(entry.method); only stored and deflated entries are read (re-create the archive with zip's defaults)")
        }
        if let violation = limits.violation(inflated: entry.size, compressed: entry.compressedSize), entry.method == 8 {
            throw broken(violation)
        }
        var header: [UInt8] = []
        guard entry.localHeaderOffset >= 0, entry.localHeaderOffset + 30 <= file.size,
            try file.read(at: entry.localHeaderOffset, count: 30, into: &header) == 30, Self.u32(header, 0) == 0x0403_4B50
        else { throw broken("its local header is missing (a damaged or truncated archive)") }
        let dataStart = entry.localHeaderOffset + 30 + Int64(Self.u16(header, 26)) + Int64(Self.u16(header, 28))
        guard entry.compressedSize >= 0, dataStart + entry.compressedSize <= file.size else {
            throw broken("its data runs past the end of the file (a truncated archive)")
        }
        let raw = FileRangeStream(file: file, start: dataStart, length: entry.compressedSize, label: label)
        let bytes: ByteStream = entry.method == 0 ? raw : try Inflater(source: raw, label: label, kind: .rawDeflate, limits: limits)
        return CheckedEntryStream(source: bytes, entry: entry, label: label)
    }

    static func u16(_ bytes: [UInt8], _ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
    static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 { UInt32(u16(bytes, at)) | UInt32(u16(bytes, at + 2)) << 16 }
    static func u64(_ bytes: [UInt8], _ at: Int) -> UInt64 { UInt64(u32(bytes, at)) | UInt64(u32(bytes, at + 4)) << 32 }
}

/// An entry's bytes, stored or inflated, with their count and CRC-32 checked against the directory at the end.
private final class CheckedEntryStream: ByteStream {
    private let source: ByteStream
    private let entry: ZipArchive.Entry
    private let label: String
    private var total: Int64 = 0
    private var crc: UInt = crc32(0, nil, 0)

    init(source: ByteStream, entry: ZipArchive.Entry, label: String) {
        self.source = source
        self.entry = entry
        self.label = label
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ReaderError) -> Int {
        let count = try source.read(into: buffer)
        if count > 0, let base = buffer.baseAddress { crc = crc32(crc, base.assumingMemoryBound(to: UInt8.self), UInt32(count)) }
        total += Int64(count)
        if total > entry.size {
            throw .badArchive(path: label, reason: "the entry holds more than the \(entry.size) bytes its directory entry says (a zip bomb?)")
        }
        if count == 0 {
            guard total == entry.size else {
                throw .badArchive(path: label, reason: "the entry holds \(total) bytes, not the \(entry.size) its directory entry says (a damaged archive)")
            }
            guard UInt32(truncatingIfNeeded: crc) == entry.crc else {
                throw .badArchive(path: label, reason: "the entry's CRC-32 does not match (a damaged archive)")
            }
        }
        return count
    }
}
