/// Splits a raw file into physical lines (CRLF, LF or CR), keeping at most `maxLineBytes` of each: a longer
/// line is cut and flagged, and the rest of it is scanned and dropped, so memory stays bounded.
struct PhysicalLineReader {
    static let chunkSize = 256 * 1024
    private static let lineBreaks = ByteFinder(0x0A, 0x0D)

    /// Where the line just read starts and what became of it.
    struct LineInfo {
        /// Physical line number, 1-based.
        var number: Int
        /// Byte offset of its first byte.
        var offset: Int64
        /// Its full length in bytes, terminator excluded (may exceed what was kept).
        var length: Int
        /// Whether bytes past `maxLineBytes` were dropped.
        var truncated: Bool
    }

    private let file: InputFile
    private let maxLineBytes: Int
    private var chunk: [UInt8] = []
    private var chunkStart: Int64
    private var position = 0
    private var nextOffset: Int64
    private var atEnd = false
    private var lineNumber: Int
    private var afterCR = false

    init(file: InputFile, startOffset: Int64, line: Int, maxLineBytes: Int) {
        self.file = file
        self.maxLineBytes = maxLineBytes
        self.chunkStart = startOffset
        self.nextOffset = startOffset
        self.lineNumber = line
    }

    /// Reads the next line into `line` (replacing its content); nil at the end of the file.
    mutating func next(into line: inout [UInt8]) throws(ReaderError) -> LineInfo? {
        line.removeAll(keepingCapacity: true)
        var info: LineInfo?
        while true {
            if position >= chunk.count {
                if atEnd { return info }
                chunkStart = nextOffset
                let count = try file.read(at: nextOffset, count: Self.chunkSize, into: &chunk)
                nextOffset += Int64(count)
                position = 0
                if count == 0 {
                    atEnd = true
                    return info
                }
            }
            if afterCR {
                afterCR = false
                if chunk[position] == 0x0A {
                    position += 1
                    continue
                }
            }
            if info == nil {
                info = LineInfo(number: lineNumber, offset: chunkStart + Int64(position), length: 0, truncated: false)
            }
            let start = position
            let room = maxLineBytes - line.count
            var truncated = false
            let end = chunk.withUnsafeBufferPointer { buffer -> Int in
                let end = Self.lineBreaks.firstIndex(in: buffer, from: start)
                let kept = min(end - start, max(0, room))
                if kept > 0 { line.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<(start + kept)])) }
                truncated = end - start > room
                return end
            }
            let runLength = end - start
            if truncated { info?.truncated = true }
            info?.length += runLength
            position = end
            if end < chunk.count {
                afterCR = chunk[end] == 0x0D
                position += 1
                lineNumber += 1
                return info
            }
        }
    }
}
