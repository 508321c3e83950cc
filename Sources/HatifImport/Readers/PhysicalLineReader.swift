/// Splits a raw file into physical lines (CRLF, LF or CR), keeping at most `maxLineBytes` of each: a longer
/// line is cut and flagged, and the rest of it is scanned and dropped, so memory stays bounded.
///
/// A line is seen in place, in the reader's window over the file (``advance()``, then ``line``), so the
/// common line is never copied; ``peekNextLine()`` tells how the next line starts while the current one
/// stays in view (vCard folding is decided by the next line's first byte).
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

    /// How the line after the current one starts.
    enum NextLine: Equatable {
        /// There is none: the file ends.
        case none
        /// It is empty.
        case empty
        /// It starts with this byte.
        case startsWith(UInt8)
    }

    private let file: InputFile
    private let maxLineBytes: Int
    /// The current line and what was read after it (the part of a long line past `maxLineBytes` dropped).
    private let window: GrowableBuffer<UInt8>
    /// The file offset just after the window's last byte: where the next read starts.
    private var readOffset: Int64
    /// Where the current line starts in the window (its kept bytes are ``line``).
    private var lineStart = 0
    /// Where the next line starts in the window (after the current one's terminator).
    private var position = 0
    /// The current line ended in CR: an LF at `position` still belongs to its terminator.
    private var afterCR = false
    private var atEnd = false
    private var lineNumber: Int
    /// The line breaks of the last 64-byte block of the window scanned whole, bit i for byte
    /// `blockStart + i`: a block holds two or three lines of a vCard, and is scanned once for all of them.
    private var blockBreaks: UInt64 = 0
    /// Where that block starts in the window; far below 0 when no block is kept (the window moved).
    private var blockStart = PhysicalLineReader.noBlock
    private static let noBlock = Int.min / 2

    init(file: InputFile, startOffset: Int64, line: Int, maxLineBytes: Int) {
        self.file = file
        self.maxLineBytes = max(0, maxLineBytes)
        self.window = GrowableBuffer(capacity: Self.chunkSize)
        self.readOffset = startOffset
        self.lineNumber = line
    }

    /// The kept bytes of the line ``advance()`` returned last, in the window; valid until the next mutating
    /// call. Kept as a view (pointed again whenever the window moves) rather than worked out on each use.
    ///
    /// A pointer view, not a `Span` whose lifetime the compiler checks: such a span would borrow the reader
    /// that holds this line reader, and the vCard reader hands the line to its own mutating methods (which
    /// fill the card and the head cache), so every use would be refused as an overlapping access. Making it
    /// a span needs the line handling moved out of the state those methods change first.
    private(set) var line = UnsafeBufferPointer<UInt8>(start: nil, count: 0)

    /// Moves to the next line, seen through ``line``; nil at the end of the file.
    mutating func advance() throws(ReaderError) -> LineInfo? {
        try skipLineFeedAfterCR()
        lineStart = position
        line = UnsafeBufferPointer(start: nil, count: 0)
        guard try hasByteAtPosition() else { return nil }
        var info = LineInfo(number: lineNumber, offset: readOffset - Int64(window.count - position), length: 0, truncated: false)
        var searchFrom = position
        var dropped = 0
        while true {
            let end = lineBreak(from: searchFrom)
            if end < window.count || atEnd {
                info.length = end - lineStart + dropped
                info.truncated = dropped > 0 || end - lineStart > maxLineBytes
                if end < window.count {
                    afterCR = window[end] == 0x0D
                    position = end + 1
                } else {
                    position = end
                }
                lineNumber += 1
                line = UnsafeBufferPointer(start: window.pointer + lineStart, count: min(end - lineStart, maxLineBytes))
                return info
            }
            // No line break in the window yet: keep at most `maxLineBytes` of the line, drop the rest.
            let kept = window.count - lineStart
            if kept > maxLineBytes {
                dropped += kept - maxLineBytes
                window.truncate(to: lineStart + maxLineBytes)
            }
            searchFrom = window.count - lineStart
            try fill()
            searchFrom += lineStart
        }
    }

    /// The index of the first line break at or after `start` in the window, or the window's count.
    @inline(__always)
    private mutating func lineBreak(from start: Int) -> Int {
        var index = start
        let offset = index &- blockStart
        if offset >= 0 && offset < 64 {
            let later = blockBreaks & (~0 << UInt64(offset))
            if later != 0 { return blockStart &+ later.trailingZeroBitCount }
            index = blockStart &+ 64
        }
        let count = window.count
        let base = UnsafePointer(window.pointer)
        while count &- index >= 64 {
            let breaks = Self.lineBreaks.mask(ofBlock: base + index)
            if breaks != 0 {
                blockStart = index
                blockBreaks = breaks
                return index &+ breaks.trailingZeroBitCount
            }
            index &+= 64
        }
        return Self.lineBreaks.firstIndex(in: window.buffer, from: index)
    }

    /// How the line after the current one starts, reading ahead as needed; the current line stays in view.
    @inline(__always)
    mutating func peekNextLine() throws(ReaderError) -> NextLine {
        try skipLineFeedAfterCR()
        guard try hasByteAtPosition() else { return .none }
        let byte = window[position]
        return byte == 0x0A || byte == 0x0D ? .empty : .startsWith(byte)
    }

    /// Whether the window holds a byte at `position`, reading on when it does not yet; false at the end of
    /// the file.
    private mutating func hasByteAtPosition() throws(ReaderError) -> Bool {
        if position < window.count { return true }
        if atEnd { return false }
        try fill()
        return position < window.count
    }

    /// Steps over the LF of a CRLF whose CR ended the current line.
    private mutating func skipLineFeedAfterCR() throws(ReaderError) {
        guard afterCR else { return }
        if position >= window.count && !atEnd { try fill() }
        afterCR = false
        if position < window.count && window[position] == 0x0A { position += 1 }
    }

    /// Drops the window's bytes before the current line and reads another chunk after the rest; indices
    /// into the window shift by what was dropped.
    private mutating func fill() throws(ReaderError) {
        // The window's bytes move (and a long line's dropped part is read over).
        blockStart = Self.noBlock
        let keepFrom = min(lineStart, position)
        if keepFrom > 0 {
            window.removeFirst(keepFrom)
            lineStart -= keepFrom
            position -= keepFrom
        }
        let room = window.reserveTail(Self.chunkSize)
        let count = try file.read(at: readOffset, into: UnsafeMutableRawBufferPointer(start: room.baseAddress, count: Self.chunkSize))
        window.commit(count)
        readOffset += Int64(count)
        line = UnsafeBufferPointer(start: window.pointer + lineStart, count: line.count)
        if count == 0 { atEnd = true }
    }
}
