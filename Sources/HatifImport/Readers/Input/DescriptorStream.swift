#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An open descriptor read front to back: standard input, a pipe.
final class DescriptorStream: ByteStream {
    private let descriptor: Int32
    private let label: String

    init(descriptor: Int32, label: String) {
        self.descriptor = descriptor
        self.label = label
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ReaderError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let got = systemRead(descriptor, base, buffer.count)
            if got >= 0 { return got }
            if errno == EINTR { continue }
            throw .readFailed(path: label, reason: String(cString: strerror(errno)))
        }
    }
}

#if canImport(Glibc)
    private let systemRead = Glibc.read
#elseif canImport(Darwin)
    private let systemRead = Darwin.read
#endif
