#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes bytes to a file descriptor through a buffer, for large outputs (samples, results, reports).
public final class BufferedWriter {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8] = []
    private let capacity: Int
    /// Where the writer writes, for error messages.
    public let name: String
    /// The file's length once the buffer is written out: where the next byte goes.
    public private(set) var length: Int64 = 0

    /// Writes to standard output.
    public static func standardOutput() -> BufferedWriter { BufferedWriter(descriptor: 1, name: "standard output") }

    private init(descriptor: Int32, name: String, owns: Bool = false, capacity: Int = 1 << 20) {
        self.descriptor = descriptor
        self.name = name
        self.ownsDescriptor = owns
        self.capacity = capacity
        buffer.reserveCapacity(capacity)
    }

    /// Creates (or truncates) the file at `path`, readable and writable by its owner only (`mode`, default
    /// 0600: reports hold contact data), whatever mode an earlier file there had.
    public convenience init(path: String, mode: mode_t = 0o600) throws(WriterError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw .cannotCreate(path: path, reason: String(cString: strerror(errno))) }
        _ = fchmod(descriptor, mode)
        self.init(descriptor: descriptor, name: path, owns: true)
    }

    /// Opens `path` to append after its first `keeping` bytes, dropping anything after them (what a run
    /// wrote past its last checkpoint); creates the file when it is missing, with `mode` (default 0600).
    public convenience init(path: String, keeping: Int64, mode: mode_t = 0o600) throws(WriterError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw .cannotCreate(path: path, reason: String(cString: strerror(errno))) }
        _ = fchmod(descriptor, mode)
        guard ftruncate(descriptor, off_t(keeping)) == 0, lseek(descriptor, off_t(keeping), SEEK_SET) >= 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw .cannotCreate(path: path, reason: reason)
        }
        self.init(descriptor: descriptor, name: path, owns: true)
        length = keeping
    }

    /// Writes to a temporary file that is deleted as soon as it is made (a spool read back with
    /// ``copy(from:to:into:)``).
    static func spool(prefix: String) throws(WriterError) -> BufferedWriter {
        switch DeletedTemporaryFile.make(prefix: prefix) {
        case .success(let descriptor): return BufferedWriter(descriptor: descriptor, name: "a temporary file", owns: true, capacity: 256 << 10)
        case .failure(let error): throw .cannotCreate(path: "a temporary file", reason: error.reason)
        }
    }

    /// Copies the bytes written so far from `start` up to `end` to `other`.
    func copy(from start: Int64, to end: Int64, into other: BufferedWriter) throws(WriterError) {
        try flush()
        var chunk = [UInt8](repeating: 0, count: 256 << 10)
        var offset = start
        while offset < end {
            let wanted = Int(min(Int64(chunk.count), end - offset))
            let read = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, wanted, off_t(offset)) }
            guard read > 0 else { throw .writeFailed(path: name, reason: read < 0 ? String(cString: strerror(errno)) : "the file ends early") }
            try other.write(bytes: chunk[..<read])
            offset += Int64(read)
        }
    }

    deinit {
        try? flush()
        if ownsDescriptor { close(descriptor) }
    }

    /// Appends the UTF-8 of `text`.
    public func write(_ text: String) throws(WriterError) {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
        length += Int64(text.utf8.count)
        if buffer.count >= capacity { try flush() }
    }

    /// Appends bytes.
    public func write(bytes: some Sequence<UInt8>) throws(WriterError) {
        let before = buffer.count
        buffer.append(contentsOf: bytes)
        length += Int64(buffer.count - before)
        if buffer.count >= capacity { try flush() }
    }

    /// Appends what `body` appends to the bytes it is given (the writer's own buffer: no copy in between).
    public func write(appending body: (inout [UInt8]) -> Void) throws(WriterError) {
        let before = buffer.count
        body(&buffer)
        length += Int64(buffer.count - before)
        if buffer.count >= capacity { try flush() }
    }

    /// Writes out what is buffered.
    public func flush() throws(WriterError) {
        var written = 0
        var failure: Int32 = 0
        buffer.withUnsafeBytes { raw in
            while written < raw.count {
                let result = systemWrite(descriptor, raw.baseAddress! + written, raw.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                written += result
            }
        }
        buffer.removeAll(keepingCapacity: true)
        if failure != 0 { throw .writeFailed(path: name, reason: String(cString: strerror(failure))) }
    }
}

extension BufferedWriter {
    /// Writes out what is buffered and makes it durable (`fsync`); returns the file's length.
    @discardableResult
    public func sync() throws(WriterError) -> Int64 {
        try flush()
        guard fsync(descriptor) == 0 else { throw .writeFailed(path: name, reason: String(cString: strerror(errno))) }
        return length
    }
}

/// Why an output file could not be written.
public enum WriterError: Error, Sendable, CustomStringConvertible {
    case cannotCreate(path: String, reason: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotCreate(let path, let reason): "Cannot create \(path): \(reason)."
        case .writeFailed(let path, let reason): "Writing \(path) failed: \(reason)."
        }
    }
}

/// `write(2)`, named apart from the method above.
private func systemWrite(_ descriptor: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, pointer, count)
}
