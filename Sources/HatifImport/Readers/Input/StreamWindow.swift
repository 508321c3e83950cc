/// Offers a stream as if it could be read at any offset, as far as the readers need: the first MiB is
/// kept (format detection and the CSV dialect read it, then the reader starts over), the last MiB read
/// too (a reject's excerpt is read again), and a read further on skips forward. Only a read behind all
/// of that fails, with ``ReaderError/notRewindable(path:reason:)``.
final class StreamWindow {
    static let headLength = 1 << 20
    static let recentLength = 1 << 20

    private let stream: ByteStream
    private let label: String
    private var head: [UInt8] = []
    private var headRead = false
    /// Stream bytes consumed so far (the head included).
    private var position: Int64 = 0
    /// The last bytes consumed after the head, ending at `position`: byte `p` of the stream sits at
    /// `p % recentLength`.
    private var recent = [UInt8](repeating: 0, count: StreamWindow.recentLength)
    /// How many bytes of `recent` hold stream bytes.
    private var recentCount = 0
    private var scratch: [UInt8] = []

    init(stream: ByteStream, label: String) {
        self.stream = stream
        self.label = label
    }

    /// Reads bytes at `offset` until `buffer` is full or the stream ends; returns how many.
    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(ReaderError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        if !headRead {
            headRead = true
            head = [UInt8](repeating: 0, count: Self.headLength)
            let count = try head.fill { bytes throws(ReaderError) in try stream.readFully(into: bytes) }
            head.removeSubrange(count...)
            position = Int64(count)
        }
        var done = 0
        var at = offset
        while done < buffer.count {
            let wanted = buffer.count - done
            if at < Int64(head.count) {
                let count = min(wanted, head.count - Int(at))
                head.withUnsafeBytes { bytes in
                    if let source = bytes.baseAddress { base.advanced(by: done).copyMemory(from: source + Int(at), byteCount: count) }
                }
                done += count
                at += Int64(count)
            } else if at < position {
                guard at >= position - Int64(recentCount) else {
                    throw .notRewindable(
                        path: label, reason: "byte \(at) was passed already (a stream is read once, front to back; save it to a file to read it again)")
                }
                let from = Int(at % Int64(Self.recentLength))
                let count = min(wanted, Int(position - at), Self.recentLength - from)
                recent.withUnsafeBytes { bytes in
                    if let source = bytes.baseAddress { base.advanced(by: done).copyMemory(from: source + from, byteCount: count) }
                }
                done += count
                at += Int64(count)
            } else {
                if at > position { try skip(Int(at - position)) }
                let destination = UnsafeMutableRawBufferPointer(start: base + done, count: wanted)
                let count = try stream.readFully(into: destination)
                remember(UnsafeRawBufferPointer(start: destination.baseAddress, count: count))
                done += count
                at += Int64(count)
                if count < wanted { break }
            }
        }
        return done
    }

    /// Reads and drops `count` bytes.
    private func skip(_ count: Int) throws(ReaderError) {
        var left = count
        if scratch.isEmpty { scratch = [UInt8](repeating: 0, count: 256 * 1024) }
        while left > 0 {
            let got = try scratch.fill { bytes throws(ReaderError) in
                try stream.readFully(into: UnsafeMutableRawBufferPointer(start: bytes.baseAddress, count: min(left, bytes.count)))
            }
            if got == 0 { return }
            scratch.withUnsafeBytes { remember(UnsafeRawBufferPointer(start: $0.baseAddress, count: got)) }
            left -= got
        }
    }

    /// Keeps the last ``recentLength`` bytes consumed.
    private func remember(_ bytes: UnsafeRawBufferPointer) {
        let kept = UnsafeRawBufferPointer(rebasing: bytes.suffix(Self.recentLength))
        var at = position + Int64(bytes.count - kept.count)
        var from = 0
        recent.withUnsafeMutableBytes { ring in
            guard let ringStart = ring.baseAddress, let keptStart = kept.baseAddress else { return }
            while from < kept.count {
                let index = Int(at % Int64(Self.recentLength))
                let count = min(kept.count - from, Self.recentLength - index)
                ringStart.advanced(by: index).copyMemory(from: keptStart + from, byteCount: count)
                from += count
                at += Int64(count)
            }
        }
        position += Int64(bytes.count)
        recentCount = min(Self.recentLength, recentCount + bytes.count)
    }
}
