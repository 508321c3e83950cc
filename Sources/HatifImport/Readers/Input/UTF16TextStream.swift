/// A UTF-16 input's text as UTF-8, decoded a chunk at a time (``DecodedInput``, as the CSV reader reads
/// it): for the readers that split raw bytes into lines (vCard), so that a file saved as "Unicode" reads
/// like any other. A byte-order mark becomes UTF-8's; a lone surrogate or a last odd byte becomes U+FFFD.
final class UTF16TextStream: ByteStream {
    private var input: DecodedInput
    /// How much of the current decoded chunk was read.
    private var delivered = 0

    /// Decodes `source` from its start, big-endian or little-endian.
    init(source: InputFile, bigEndian: Bool) {
        input = DecodedInput(file: source, encoding: bigEndian ? .utf16BigEndian : .utf16LittleEndian, startOffset: 0)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ReaderError) -> Int {
        while delivered == input.chunk.count {
            guard try input.nextChunk() else { return 0 }
            delivered = 0
        }
        let count = min(buffer.count, input.chunk.count - delivered)
        input.chunk.withUnsafeBytes { bytes in
            if let target = buffer.baseAddress, let source = bytes.baseAddress { target.copyMemory(from: source + delivered, byteCount: count) }
        }
        delivered += count
        return count
    }
}
