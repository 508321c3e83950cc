/// Finds the first of up to four bytes in a buffer, eight bytes at a time (SWAR): the readers' scan for
/// delimiters, quotes and line ends.
struct ByteFinder {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    private let bytes: (UInt8, UInt8, UInt8, UInt8)
    private let words: (UInt64, UInt64, UInt64, UInt64)

    /// Looks for any of `first`, `second`, and `third` and `fourth` when given.
    init(_ first: UInt8, _ second: UInt8, _ third: UInt8? = nil, _ fourth: UInt8? = nil) {
        let third = third ?? first
        let fourth = fourth ?? second
        bytes = (first, second, third, fourth)
        words = (Self.ones &* UInt64(first), Self.ones &* UInt64(second), Self.ones &* UInt64(third), Self.ones &* UInt64(fourth))
    }

    /// The index of the first sought byte at or after `start`, or the buffer's count.
    @inline(__always)
    func firstIndex(in buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        let count = buffer.count
        guard let base = buffer.baseAddress else { return count }
        let raw = UnsafeRawPointer(base)
        // A lane equal to a sought byte becomes zero after the XOR; zeroLanes marks such lanes.
        @inline(__always) func zeroLanes(_ word: UInt64) -> UInt64 { (word &- Self.ones) & ~word & Self.highs }
        while index + 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let hits =
                zeroLanes(word ^ words.0) | zeroLanes(word ^ words.1) | zeroLanes(word ^ words.2) | zeroLanes(word ^ words.3)
            if hits != 0 { return index + hits.trailingZeroBitCount / 8 }
            index += 8
        }
        while index < count {
            let byte = base[index]
            if byte == bytes.0 || byte == bytes.1 || byte == bytes.2 || byte == bytes.3 { return index }
            index += 1
        }
        return count
    }

    /// The lanes of `word` that are zero, each marked by its high bit, exactly (a lane past a zero one is
    /// not marked by a borrow, as it can be by the quicker test of ``firstIndex(in:from:)``).
    @inline(__always)
    static func zeroLanes(_ word: UInt64) -> UInt64 {
        let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((word & lows) &+ lows) | word | lows)
    }

    /// One pass from `start` for the CSV fast path: calls `body` with the index of every `delimiter` before
    /// the first sought byte, in order, until it returns false (then nil); returns where the first sought
    /// byte is (or the count) and whether every byte before it is ASCII.
    @inline(__always)
    func scan(
        _ buffer: UnsafeBufferPointer<UInt8>, from start: Int, delimiter: UInt8, _ body: (Int) -> Bool
    ) -> (end: Int, isASCII: Bool)? {
        let count = buffer.count
        guard let base = buffer.baseAddress else { return (count, true) }
        let raw = UnsafeRawPointer(base)
        let delimiters = Self.ones &* UInt64(delimiter)
        var highs: UInt64 = 0
        var index = start
        while index + 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let stops =
                Self.zeroLanes(word ^ words.0) | Self.zeroLanes(word ^ words.1) | Self.zeroLanes(word ^ words.2)
                | Self.zeroLanes(word ^ words.3)
            var found = Self.zeroLanes(word ^ delimiters)
            var seen = word
            let lane = stops.trailingZeroBitCount / 8
            if stops != 0 {
                // Only the lanes before the stop belong to the run.
                let before: UInt64 = lane == 0 ? 0 : ~0 >> (64 - 8 * lane)
                found &= before
                seen &= before
            }
            highs |= seen
            while found != 0 {
                guard body(index + found.trailingZeroBitCount / 8) else { return nil }
                found &= found &- 1
            }
            if stops != 0 { return (index + lane, highs & Self.highs == 0) }
            index += 8
        }
        while index < count {
            let byte = base[index]
            if byte == bytes.0 || byte == bytes.1 || byte == bytes.2 || byte == bytes.3 { return (index, highs & Self.highs == 0) }
            highs |= UInt64(byte)
            if byte == delimiter, !body(index) { return nil }
            index += 1
        }
        return (count, highs & Self.highs == 0)
    }
}
