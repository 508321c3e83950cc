#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An input file read in chunks from any offset, never whole.
final class InputFile {
    /// The path as the user gave it.
    let path: String
    /// Its size in bytes when opened.
    let size: Int64
    private let descriptor: Int32

    init(path: String) throws(ReaderError) {
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
    }

    deinit { close(descriptor) }

    /// Reads up to `count` bytes at `offset` into `buffer` (replacing its content); returns how many.
    func read(at offset: Int64, count: Int, into buffer: inout [UInt8]) throws(ReaderError) -> Int {
        var failure: ReaderError?
        buffer = [UInt8](unsafeUninitializedCapacity: count) { storage, initialized in
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

    /// Reads bytes at `offset` until `buffer` is full or the file ends; returns how many.
    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(ReaderError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
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
