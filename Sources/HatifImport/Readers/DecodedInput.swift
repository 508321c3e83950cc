/// Delivers a file's text as UTF-8 chunks whatever its encoding, and tells the input byte offset of any
/// line start in the chunk at hand, so records found in decoded text can be resumed in the raw file.
struct DecodedInput {
    static let chunkSize = 256 * 1024

    let file: InputFile
    let encoding: TextEncoding
    /// The current chunk, UTF-8.
    private(set) var chunk: [UInt8] = []
    /// Input offset of the chunk's first byte.
    private(set) var chunkInputStart: Int64
    private var nextInputOffset: Int64
    private var raw: [UInt8] = []
    /// Undecoded bytes carried to the next chunk (half a UTF-16 unit or surrogate pair).
    private var carry: [UInt8] = []
    /// For transcoded chunks: (index in chunk, input offset relative to chunkInputStart) after each line break.
    private var lineStarts: [(output: Int32, input: Int32)] = []

    init(file: InputFile, encoding: TextEncoding, startOffset: Int64) {
        self.file = file
        self.encoding = encoding
        self.chunkInputStart = startOffset
        self.nextInputOffset = startOffset
    }

    /// Reads and decodes the next chunk; false at the end of the file.
    mutating func nextChunk() throws(ReaderError) -> Bool {
        chunkInputStart = nextInputOffset - Int64(carry.count)
        if encoding == .utf8 {
            let count = try file.read(at: nextInputOffset, count: Self.chunkSize, into: &chunk)
            nextInputOffset += Int64(count)
            return count > 0
        }
        let count = try file.read(at: nextInputOffset, count: Self.chunkSize, into: &raw)
        nextInputOffset += Int64(count)
        if count == 0 && carry.isEmpty { return false }
        if !carry.isEmpty {
            raw.insert(contentsOf: carry, at: 0)
            carry.removeAll()
        }
        chunk.removeAll(keepingCapacity: true)
        lineStarts.removeAll(keepingCapacity: true)
        lineStarts.append((0, 0))
        switch encoding {
        case .utf16LittleEndian, .utf16BigEndian: transcodeUTF16(atEnd: count == 0)
        default: transcodeSingleByte()
        }
        return !chunk.isEmpty || !carry.isEmpty
    }

    /// The input byte offset of position `index` of the current chunk; exact at line starts and for
    /// UTF-8 input.
    func inputOffset(at index: Int) -> Int64 {
        if encoding == .utf8 || lineStarts.isEmpty { return chunkInputStart + Int64(index) }
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if Int(lineStarts[middle].output) <= index { low = middle } else { high = middle - 1 }
        }
        let entry = lineStarts[low]
        return chunkInputStart + Int64(entry.input) + Int64((index - Int(entry.output)) * encoding.unitWidth)
    }

    private mutating func transcodeSingleByte() {
        let table = TextTranscoder.table(for: encoding)
        chunk.reserveCapacity(raw.count + raw.count / 4)
        for index in raw.indices {
            let byte = raw[index]
            if byte < 0x80 {
                chunk.append(byte)
                if byte == 0x0A || byte == 0x0D { lineStarts.append((Int32(chunk.count), Int32(index + 1))) }
            } else {
                chunk.append(contentsOf: table[Int(byte)])
            }
        }
    }

    private mutating func transcodeUTF16(atEnd: Bool) {
        let bigEndian = encoding == .utf16BigEndian
        var index = 0
        let count = raw.count
        chunk.reserveCapacity(count)
        @inline(__always) func unit(_ at: Int) -> UInt32 {
            bigEndian ? UInt32(raw[at]) << 8 | UInt32(raw[at + 1]) : UInt32(raw[at + 1]) << 8 | UInt32(raw[at])
        }
        while index + 1 < count {
            let first = unit(index)
            var scalar = first
            var width = 2
            if (0xD800..<0xDC00).contains(first) {
                if index + 3 < count {
                    let second = unit(index + 2)
                    if (0xDC00..<0xE000).contains(second) {
                        scalar = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                        width = 4
                    } else {
                        scalar = 0xFFFD
                    }
                } else if !atEnd {
                    break
                } else {
                    scalar = 0xFFFD
                }
            } else if (0xDC00..<0xE000).contains(first) {
                scalar = 0xFFFD
            }
            appendUTF8(scalar)
            index += width
            if scalar == 0x0A || scalar == 0x0D { lineStarts.append((Int32(chunk.count), Int32(index))) }
        }
        carry = Array(raw[index...])
        if atEnd && !carry.isEmpty {
            appendUTF8(0xFFFD)
            carry.removeAll()
        }
    }

    private mutating func appendUTF8(_ scalar: UInt32) { TextTranscoder.appendUTF8(scalar, to: &chunk) }
}
