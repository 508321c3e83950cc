import CZlib

/// zlib's inflate over another stream: gzip (one member or several, as `cat a.gz b.gz` makes) or the raw
/// deflate data of a zip entry, with ``ArchiveLimits`` checked as it goes.
///
/// zlib rather than ZIPFoundation: the readers pull bytes when they need them, and ZIPFoundation's
/// extraction pushes every chunk into a closure until the entry ends, which would need a thread per entry
/// or the whole entry in memory; zlib's `inflate` is the same code ZIPFoundation calls.
final class Inflater: ByteStream {
    /// The kind of compressed data.
    enum Kind {
        /// gzip members, one after another.
        case gzip
        /// Raw deflate (a zip entry).
        case rawDeflate
    }

    private let source: ByteStream
    private let label: String
    private let kind: Kind
    private let limits: ArchiveLimits
    /// zlib keeps a pointer back to its stream: it must not move.
    private let stream: UnsafeMutablePointer<z_stream>
    /// The compressed bytes read ahead: a fixed allocation, since zlib's `next_in` points into it between calls.
    private let input: UnsafeMutableBufferPointer<UInt8>
    private var inputEnded = false
    private var ended = false
    private var compressedBytes: Int64 = 0
    private var inflatedBytes: Int64 = 0

    init(source: ByteStream, label: String, kind: Kind, limits: ArchiveLimits) throws(ReaderError) {
        self.source = source
        self.label = label
        self.kind = kind
        self.limits = limits
        input = .allocate(capacity: 256 * 1024)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let windowBits: Int32 = kind == .gzip ? 15 + 16 : -15
        guard inflateInit2_(stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            stream.deallocate()
            input.deallocate()
            throw .readFailed(path: label, reason: "zlib could not start")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        input.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ReaderError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while !ended {
            if stream.pointee.avail_in == 0 && !inputEnded { try refill() }
            stream.pointee.next_out = base.assumingMemoryBound(to: UInt8.self)
            stream.pointee.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
            let status = inflate(stream, Z_NO_FLUSH)
            let produced = buffer.count - Int(stream.pointee.avail_out)
            if produced > 0 {
                inflatedBytes += Int64(produced)
                if let violation = limits.violation(inflated: inflatedBytes, compressed: compressedBytes) {
                    ended = true
                    throw .badArchive(path: label, reason: violation)
                }
            }
            switch status {
            case Z_OK, Z_BUF_ERROR:
                if produced > 0 { return produced }
                if inputEnded && stream.pointee.avail_in == 0 {
                    ended = true
                    throw .badArchive(path: label, reason: "the compressed data ends early (a truncated file?) after \(inflatedBytes) bytes")
                }
            case Z_STREAM_END:
                // gzip: another member may follow; anything else ends the data.
                let another = kind == .gzip && (stream.pointee.avail_in > 0 || !inputEnded) ? try hasMoreInput() : false
                if another {
                    inflateReset(stream)
                } else {
                    ended = true
                }
                if produced > 0 { return produced }
            default:
                ended = true
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "error \(status)"
                throw .badArchive(path: label, reason: "the compressed data is corrupt (\(message)) after \(inflatedBytes) bytes")
            }
        }
        return 0
    }

    /// Reads the next compressed bytes into `input`.
    private func refill() throws(ReaderError) {
        let count = try source.read(into: UnsafeMutableRawBufferPointer(input))
        if count == 0 { inputEnded = true }
        compressedBytes += Int64(count)
        stream.pointee.next_in = input.baseAddress
        stream.pointee.avail_in = UInt32(count)
    }

    /// Whether compressed bytes follow the end of a gzip member.
    private func hasMoreInput() throws(ReaderError) -> Bool {
        if stream.pointee.avail_in > 0 { return true }
        try refill()
        return stream.pointee.avail_in > 0
    }
}
