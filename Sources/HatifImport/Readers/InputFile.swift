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
        var failure: Int32 = 0
        buffer = [UInt8](unsafeUninitializedCapacity: count) { storage, initialized in
            var done = 0
            while done < count {
                let got = pread(descriptor, storage.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                if got < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if got == 0 { break }
                done += got
            }
            initialized = done
        }
        if failure != 0 { throw .readFailed(path: path, reason: String(cString: strerror(failure))) }
        return buffer.count
    }
}
