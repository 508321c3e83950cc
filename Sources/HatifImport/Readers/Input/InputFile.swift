import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An input read in chunks from any offset, never whole: a plain file by `pread`, or a stream (a .gz, a
/// zip entry, standard input) through a ``StreamWindow`` that skips forward and keeps what a reader
/// reads twice.
final class InputFile {
    /// The input's name as the user gave it (``InputName``).
    let path: String
    /// Its size in bytes when opened; for a stream, its inflated size when the archive tells it (a zip
    /// entry's, a .gz's trailer modulo 4 GiB), else 0. Progress only: nothing relies on it.
    let size: Int64
    private let descriptor: Int32
    private let stream: StreamWindow?

    /// Opens the input `name` stands for (``InputName``), limited by `limits` when it inflates.
    convenience init(path name: String, limits: ArchiveLimits = ArchiveLimits()) throws(ReaderError) {
        switch InputName(name) {
        case .file(let path):
            try self.init(rawPath: path)
        case .gzip(let path):
            let file = try InputFile(rawPath: path)
            let inflater = try Inflater(source: FileRangeStream(file: file, label: name), label: name, kind: .gzip, limits: limits)
            self.init(label: name, size: Self.gzipTrailerSize(file), stream: PrefetchingStream(inflater))
        case .zipEntry(let archivePath, let entryName):
            let archive = try ZipArchive(path: archivePath, limits: limits)
            guard let entry = archive.entry(named: entryName) else {
                throw .cannotOpen(path: name, reason: "the archive has no entry \(entryName)")
            }
            var stream = try archive.entryStream(entry)
            if entryName.lowercased().hasSuffix(".gz") {
                stream = try Inflater(source: stream, label: name, kind: .gzip, limits: limits)
            }
            self.init(label: name, size: entry.size, stream: PrefetchingStream(stream))
        case .standardInput:
            self.init(label: "-", size: 0, shared: StandardInput.window)
        }
    }

    /// The ``size`` the input `name` stands for opens with, from the file system or the archive's
    /// directory alone (nothing inflated); 0 when it cannot be told.
    static func expectedSize(of name: String) -> Int64 {
        switch InputName(name) {
        case .file(let path): (try? InputFile(rawPath: path).size) ?? 0
        case .gzip(let path): (try? InputFile(rawPath: path)).map(gzipTrailerSize) ?? 0
        case .zipEntry(let archive, let entry): (try? ZipArchive(path: archive))?.entry(named: entry)?.size ?? 0
        case .standardInput: 0
        }
    }

    /// A gzip file's inflated size as its trailer gives it (modulo 4 GiB, of its last member).
    private static func gzipTrailerSize(_ file: InputFile) -> Int64 {
        var trailer: [UInt8] = []
        guard (try? file.read(at: max(0, file.size - 4), count: 4, into: &trailer)) == 4 else { return 0 }
        return Int64(ZipArchive.u32(trailer, 0))
    }

    /// Opens the plain file at `rawPath`.
    init(rawPath path: String) throws(ReaderError) {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            close(descriptor)
            throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            throw .cannotOpen(path: path, reason: "it is a folder")
        }
        self.descriptor = descriptor
        self.size = Int64(status.st_size)
        self.stream = nil
    }

    /// The input `name` stands for copied into a temporary file, deleted as soon as it is made (gone when
    /// this closes): for a reader that needs to read at any offset (a workbook) from a stream.
    static func spooled(_ name: String, limits: ArchiveLimits = ArchiveLimits()) throws(ReaderError) -> InputFile {
        let source = try InputFile(path: name, limits: limits)
        let descriptor: Int32
        switch DeletedTemporaryFile.make(prefix: "hatif-import-input") {
        case .success(let made): descriptor = made
        case .failure(let error): throw .cannotOpen(path: name, reason: "no temporary file to copy it into: \(error.reason)")
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var offset: Int64 = 0
        while true {
            let count = try chunk.fill { bytes throws(ReaderError) in try source.read(at: offset, into: bytes) }
            if count == 0 { break }
            let written = chunk.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, count, off_t(offset)) }
            guard written == count else {
                close(descriptor)
                throw .readFailed(path: name, reason: "could not copy it into a temporary file: \(String(cString: strerror(errno)))")
            }
            offset += Int64(count)
        }
        return InputFile(label: name, descriptor: descriptor, size: offset)
    }

    /// This input's UTF-16 text (big-endian or not) as UTF-8, decoded as it is read: offsets count its
    /// UTF-8 bytes. Its size is unknown (0).
    func decodingUTF16(bigEndian: Bool) -> InputFile {
        InputFile(label: path, size: 0, stream: UTF16TextStream(source: self, bigEndian: bigEndian))
    }

    private init(label: String, descriptor: Int32, size: Int64) {
        self.path = label
        self.descriptor = descriptor
        self.size = size
        self.stream = nil
    }

    private init(label: String, size: Int64, stream: ByteStream) {
        self.path = label
        self.size = size
        self.descriptor = -1
        self.stream = StreamWindow(stream: stream, label: label)
    }

    private init(label: String, size: Int64, shared window: StreamWindow) {
        self.path = label
        self.size = size
        self.descriptor = -1
        self.stream = window
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Reads up to `count` bytes at `offset` into `buffer` (replacing its content); returns how many.
    func read(at offset: Int64, count: Int, into buffer: inout [UInt8]) throws(ReaderError) -> Int {
        var failure: ReaderError?
        buffer = [UInt8](unsafeUninitializedCapacity: max(0, count)) { storage, initialized in
            do throws(ReaderError) {
                initialized = try read(at: offset, into: UnsafeMutableRawBufferPointer(storage))
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return buffer.count
    }

    /// Reads bytes at `offset` until `buffer` is full or the input ends; returns how many.
    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(ReaderError) -> Int {
        if let stream { return try stream.read(at: offset, into: buffer) }
        guard let base = buffer.baseAddress, offset >= 0 else { return 0 }
        var done = 0
        while done < buffer.count {
            let got = pread(descriptor, base + done, buffer.count - done, off_t(offset) + off_t(done))
            if got < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path: path, reason: String(cString: strerror(errno)))
            }
            if got == 0 { break }
            done += got
        }
        return done
    }
}

/// Standard input, read once by the whole process: every reader that opens `-` shares one window, so
/// format detection and the reader see the same first bytes.
enum StandardInput {
    nonisolated(unsafe) static let window = StreamWindow(stream: DescriptorStream(descriptor: 0, label: "-"), label: "-")
}
