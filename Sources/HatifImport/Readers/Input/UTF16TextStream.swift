/// A UTF-16 input's text as UTF-8, decoded a chunk at a time: for the readers that split raw bytes into
/// lines (vCard), so that a file saved as "Unicode" reads like any other. A byte-order mark becomes UTF-8's;
/// a lone surrogate or a last odd byte becomes U+FFFD.
final class UTF16TextStream: ByteStream {
    static let chunkSize = 64 * 1024
    private let source: InputFile
    private let bigEndian: Bool
    private var offset: Int64 = 0
    private var raw: [UInt8] = []
    /// Bytes of the last chunk kept for the next: an odd byte, or a high surrogate whose pair may follow.
    private var carry: [UInt8] = []
    private var output: [UInt8] = []
    private var delivered = 0
    private var ended = false

    /// Decodes `source` from its start, big-endian or little-endian.
    init(source: InputFile, bigEndian: Bool) {
        self.source = source
        self.bigEndian = bigEndian
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ReaderError) -> Int {
        while delivered == output.count {
            guard !ended else { return 0 }
            try decodeNextChunk()
        }
        let count = min(buffer.count, output.count - delivered)
        output.withUnsafeBytes { bytes in
            if let target = buffer.baseAddress, let source = bytes.baseAddress { target.copyMemory(from: source + delivered, byteCount: count) }
        }
        delivered += count
        return count
    }

    private func decodeNextChunk() throws(ReaderError) {
        let count = try source.read(at: offset, count: Self.chunkSize, into: &raw)
        offset += Int64(count)
        output.removeAll(keepingCapacity: true)
        delivered = 0
        var bytes = carry
        bytes.append(contentsOf: raw.prefix(count))
        carry.removeAll()
        if count == 0 {
            ended = true
            _ = TextTranscoder.utf16ToUTF8(bytes, bigEndian: bigEndian, into: &output)
            if bytes.count % 2 == 1 { output.append(contentsOf: [0xEF, 0xBF, 0xBD]) }
            return
        }
        var usable = bytes.count & ~1
        if usable >= 2 {
            let (first, second) = (UInt16(bytes[usable - 2]), UInt16(bytes[usable - 1]))
            let last = bigEndian ? first << 8 | second : second << 8 | first
            if (0xD800...0xDBFF).contains(last) { usable -= 2 }
        }
        carry = Array(bytes[usable...])
        _ = TextTranscoder.utf16ToUTF8(Array(bytes[..<usable]), bigEndian: bigEndian, into: &output)
    }
}
