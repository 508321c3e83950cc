import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An index over a report folder's `plan.jsonl` (a dry run) or `results.jsonl` (a run), built once and
/// kept beside it in `report-index/`, so that `report serve` pages, filters and searches a plan of any size
/// without holding it in memory:
/// - `records.bin`: per record, where its line starts, its length and its kind (16 bytes);
/// - `kind-<kind>.bin`: the numbers of the records of each kind (4 bytes each);
/// - `search.txt`: per record one lower-cased line of what a search looks at (`file:line`, names, phone,
///   e-mail, contact ids, reasons), scanned in blocks;
/// - `index.json`: the size and time of the file it indexes (a changed file is indexed again) and the counts.
public struct ReportIndex: Sendable {
    /// The kinds of record, as `PlanEntry.Category.name` names them.
    public static let kinds = ["create", "update", "unchanged", "merged", "conflict", "reject", "failed", "delete"]
    static let recordSize = 16
    static let version = 1

    /// What the index describes, as `index.json` holds it.
    public struct Description: Sendable, Codable, Hashable {
        public var version: Int
        /// `plan.jsonl` or `results.jsonl`.
        public var source: String
        public var size: Int64
        public var modified: Double
        /// `dry-run` or `run`.
        public var mode: String
        public var records: Int
        public var counts: [String: Int]
    }

    /// One page of records.
    public struct Page: Sendable {
        /// Records that pass the filter and the search, in all.
        public var total: Int
        /// The page's records: their numbers (0-based, in file order) and entries.
        public var entries: [(number: Int, entry: PlanEntry)]
    }

    /// The report folder.
    public let folder: URL
    public let description: Description
    private var indexFolder: URL { folder.appending(path: "report-index") }

    /// Opens the index of the report in `folder`, building it first when it is missing or older than its
    /// file; `progress` hears of the records indexed so far while it builds.
    public static func open(folder: String, progress: (Int) -> Void = { _ in }) throws -> ReportIndex {
        let url = URL(fileURLWithPath: folder)
        let candidates = [("plan.jsonl", "dry-run"), ("results.jsonl", "run")]
        guard let (name, mode) = candidates.first(where: { FileManager.default.fileExists(atPath: url.appending(path: $0.0).path) }) else {
            throw ReportIndexError.noReport(folder: folder)
        }
        let source = url.appending(path: name).path
        let attributes = try FileManager.default.attributesOfItem(atPath: source)
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let indexFolder = url.appending(path: "report-index")
        if let data = try? Data(contentsOf: indexFolder.appending(path: "index.json")),
            let known = try? JSONDecoder().decode(Description.self, from: data),
            known.version == version, known.source == name, known.size == size, known.modified == modified
        {
            return ReportIndex(folder: url, description: known)
        }
        let description = try build(source: source, name: name, mode: mode, size: size, modified: modified, into: indexFolder, progress: progress)
        return ReportIndex(folder: url, description: description)
    }

    private static func build(
        source: String, name: String, mode: String, size: Int64, modified: Double, into folder: URL, progress: (Int) -> Void
    ) throws -> Description {
        let manager = FileManager.default
        try? manager.removeItem(at: folder)
        try manager.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let records = try BufferedWriter(path: folder.appending(path: "records.bin").path)
        let search = try BufferedWriter(path: folder.appending(path: "search.txt").path)
        var kindWriters: [String: BufferedWriter] = [:]
        for kind in kinds { kindWriters[kind] = try BufferedWriter(path: folder.appending(path: "kind-\(kind).bin").path) }
        var counts: [String: Int] = [:]
        var number = 0
        let file = try InputFile(rawPath: source)
        var lines = PhysicalLineReader(file: file, startOffset: 0, line: 1, maxLineBytes: 64 << 20)
        let decoder = JSONDecoder()
        while let info = try lines.advance() {
            guard !lines.line.isEmpty else { continue }
            let entry: PlanEntry
            do {
                entry = try decoder.decode(PlanEntry.self, from: Data(lines.line))
            } catch {
                throw ReaderError.readFailed(path: source, reason: "line \(info.number) is not a plan or results line (\(error))")
            }
            let kind = entry.category.name
            var record = [UInt8](repeating: 0, count: recordSize)
            withUnsafeBytes(of: UInt64(info.offset).littleEndian) { record.replaceSubrange(0..<8, with: $0) }
            withUnsafeBytes(of: UInt32(clamping: lines.line.count).littleEndian) { record.replaceSubrange(8..<12, with: $0) }
            record[12] = UInt8(kinds.firstIndex(of: kind) ?? 0)
            try records.write(bytes: record)
            try search.write(searchText(entry) + "\n")
            try withUnsafeBytes(of: UInt32(number).littleEndian) { bytes throws(WriterError) in try kindWriters[kind]?.write(bytes: bytes) }
            counts[kind, default: 0] += 1
            number += 1
            if number % 100_000 == 0 { progress(number) }
        }
        try records.flush()
        try search.flush()
        for writer in kindWriters.values { try writer.flush() }
        let description = Description(version: version, source: name, size: size, modified: modified, mode: mode, records: number, counts: counts)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let index = try BufferedWriter(path: folder.appending(path: "index.json").path)
        try index.write(bytes: try encoder.encode(description))
        try index.flush()
        return description
    }

    /// What a search looks at, lower-cased on one line: `file:line`, the names, phone and e-mail (old and
    /// new), the contact ids and the reasons (a rejected value is in its reason).
    static func searchText(_ entry: PlanEntry) -> String {
        var parts = ["\(URL(fileURLWithPath: entry.file).lastPathComponent):\(entry.line)"]
        for change in entry.changes where ["FirstName", "LastName", "PhoneNumber", "Email"].contains(change.field) {
            if let old = change.old { parts.append(old) }
            if let new = change.new { parts.append(new) }
        }
        parts += entry.contactIDs
        parts += entry.reasons
        return parts.joined(separator: " ").lowercased().replacingOccurrences(of: "\n", with: " ")
    }

    /// The records of `kind` (nil: all) whose search text holds `query` (case ignored; empty: all), the
    /// `page`-th page of `pageSize`.
    public func page(kind: String?, query: String, page: Int, pageSize: Int) throws -> Page {
        let kindCode = kind.flatMap { Self.kinds.firstIndex(of: $0) }.map(UInt8.init)
        if kind != nil && kindCode == nil { return Page(total: 0, entries: []) }
        let needle = Array(query.lowercased().trimmingCharacters(in: .whitespaces).utf8)
        // A page past the end (or any page number a URL can hold) is an empty page, never an overflow.
        let pageSize = max(1, pageSize)
        let first = min(max(0, page), Int(Int32.max)) * pageSize
        let records = try ReadOnlyFile(path: indexFolder.appending(path: "records.bin").path)
        var numbers: [Int] = []
        var total = 0
        if needle.isEmpty {
            if let kind {
                let list = try ReadOnlyFile(path: indexFolder.appending(path: "kind-\(kind).bin").path)
                total = Int(list.size / 4)
                if first < total {
                    let bytes = try list.read(at: Int64(first * 4), count: min(pageSize, total - first) * 4)
                    numbers = stride(from: 0, to: bytes.count, by: 4).map { Int(Self.uint32(bytes, at: $0)) }
                }
            } else {
                total = description.records
                if first < total { numbers = Array(first..<min(total, first + pageSize)) }
            }
        } else {
            // The kinds of every record, read once per search, to filter the matches (1 byte each).
            var kindsOf: [UInt8] = []
            if kindCode != nil {
                let all = try records.read(at: 0, count: Int(records.size))
                kindsOf = stride(from: 12, to: all.count, by: Self.recordSize).map { all[$0] }
            }
            try Self.scan(path: indexFolder.appending(path: "search.txt").path, for: needle) { number in
                if let kindCode, number < kindsOf.count, kindsOf[number] != kindCode { return }
                if total >= first && numbers.count < pageSize { numbers.append(number) }
                total += 1
            }
        }
        let source = try ReadOnlyFile(path: folder.appending(path: description.source).path)
        let decoder = JSONDecoder()
        var entries: [(number: Int, entry: PlanEntry)] = []
        for number in numbers {
            let record = try records.read(at: Int64(number * Self.recordSize), count: Self.recordSize)
            guard record.count == Self.recordSize else { continue }
            var offset: UInt64 = 0
            for index in (0..<8).reversed() { offset = offset << 8 | UInt64(record[index]) }
            let length = Int(Self.uint32(record, at: 8))
            let line = try source.read(at: Int64(offset), count: length)
            entries.append((number, try decoder.decode(PlanEntry.self, from: Data(line))))
        }
        return Page(total: total, entries: entries)
    }

    /// Calls `match` with the number of each line of the file at `path` that holds `needle`, reading the
    /// file in blocks of 4 MiB.
    static func scan(path: String, for needle: [UInt8], match: (Int) -> Void) throws {
        let file = try ReadOnlyFile(path: path)
        var offset: Int64 = 0
        var number = 0
        var carry: [UInt8] = []
        while offset < file.size {
            var block = carry
            block += try file.read(at: offset, count: 4 << 20)
            offset += Int64(block.count - carry.count)
            // Only whole lines: the part after the last line end waits for the next block.
            let end = (block.lastIndex(of: 0x0A).map { $0 + 1 }) ?? (offset >= file.size ? block.count : 0)
            carry = Array(block[end...])
            block.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                var start = 0
                while start < end {
                    let lineEnd = memchr(base + start, 0x0A, end - start).map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base } ?? end
                    if contains(base, from: start, to: lineEnd, needle) { match(number) }
                    number += 1
                    start = lineEnd + 1
                }
            }
        }
    }

    /// Whether the bytes from `start` to `end` hold `needle` (not empty): `memchr` to its first byte,
    /// then `memcmp`.
    private static func contains(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        var position = start
        while end - position >= needle.count {
            guard let hit = memchr(base + position, Int32(first), end - needle.count + 1 - position) else { return false }
            let index = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
            let equal = needle.withUnsafeBytes { bytes in bytes.baseAddress.map { memcmp(base + index, $0, needle.count) == 0 } ?? false }
            if equal { return true }
            position = index + 1
        }
        return false
    }

    static func uint32(_ bytes: [UInt8], at index: Int) -> UInt32 {
        UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2]) << 16 | UInt32(bytes[index + 3]) << 24
    }
}

/// A file read with `pread`.
struct ReadOnlyFile: ~Copyable {
    let descriptor: Int32
    let size: Int64
    let path: String

    init(path: String) throws {
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ReaderError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        var status = stat()
        size = fstat(descriptor, &status) == 0 ? Int64(status.st_size) : 0
        self.path = path
    }

    deinit { close(descriptor) }

    /// Up to `count` bytes from `offset` (fewer at the end of the file).
    func read(at offset: Int64, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: max(0, count))
        var done = 0
        while done < count {
            let read = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return pread(descriptor, base + done, count - done, off_t(offset) + off_t(done))
            }
            if read < 0 {
                if errno == EINTR { continue }
                throw ReaderError.readFailed(path: path, reason: String(cString: strerror(errno)))
            }
            if read == 0 { break }
            done += read
        }
        return Array(bytes[..<done])
    }
}

/// Why a report cannot be served.
public enum ReportIndexError: Error, CustomStringConvertible, Sendable {
    case noReport(folder: String)

    public var description: String {
        switch self {
        case .noReport(let folder):
            "\(folder) holds no plan.jsonl (written by import --dry-run) or results.jsonl (written by an import): name the --report folder of a dry run or a run."
        }
    }
}
