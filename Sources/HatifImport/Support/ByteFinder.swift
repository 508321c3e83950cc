import CByteScan

/// Finds the first of up to four bytes in a buffer, 64 bytes at a time with vector instructions
/// (`CByteScan`): the readers' scan for delimiters, quotes and line ends.
struct ByteFinder {
    private let bytes: (UInt8, UInt8, UInt8, UInt8)

    /// Looks for any of `first`, `second`, and `third` and `fourth` when given.
    init(_ first: UInt8, _ second: UInt8, _ third: UInt8? = nil, _ fourth: UInt8? = nil) {
        bytes = (first, second, third ?? first, fourth ?? second)
    }

    /// The index of the first sought byte at or after `start`, or the buffer's count; 64 bytes at a time
    /// with vector instructions (``hatif_scan_block``).
    @inline(__always)
    func firstIndex(in buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        let count = buffer.count
        guard let base = buffer.baseAddress else { return count }
        while count - index >= 64 {
            let hits = mask(ofBlock: base + index)
            if hits != 0 { return index + hits.trailingZeroBitCount }
            index += 64
        }
        guard index < count else { return count }
        let hits = Self.withBlock(copying: base + index, count: count - index) { mask(ofBlock: $0) } & Self.bits(below: count - index)
        return hits != 0 ? index + hits.trailingZeroBitCount : count
    }

    /// The mask of the sought bytes among the 64 at `block`, all of which must be readable: bit i for byte i.
    @inline(__always)
    func mask(ofBlock block: UnsafePointer<UInt8>) -> UInt64 {
        // The fourth byte is sought as the block scan's delimiter.
        let masks = hatif_scan_block(block, bytes.3, bytes.0, bytes.1, bytes.2)
        return masks.sought | masks.delimiters
    }

    /// Calls `body` with the `count` (under 64) bytes at `bytes` copied into a block of 64 zeros: the last
    /// bytes of a buffer, which a block read must not pass.
    @inline(__always)
    private static func withBlock<Result>(
        copying bytes: UnsafePointer<UInt8>, count: Int, _ body: (UnsafePointer<UInt8>) -> Result
    ) -> Result {
        var block: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &block) { block in
            block.copyMemory(from: UnsafeRawBufferPointer(start: bytes, count: count))
            return body(block.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// The mask of a block's first `count` (1 to 64) bytes.
    @inline(__always)
    private static func bits(below count: Int) -> UInt64 { ~0 >> (64 - UInt64(count)) }

    /// The `count` (0 to 8) bytes at `base` as a little-endian word, lane i for byte i and zeros past
    /// `count`, read without passing them: two loads that overlap where they must, or three bytes.
    @inline(__always)
    static func word(_ base: UnsafePointer<UInt8>, count: Int) -> UInt64 {
        let raw = UnsafeRawPointer(base)
        if count >= 8 { return raw.loadUnaligned(as: UInt64.self) }
        if count >= 4 {
            return UInt64(raw.loadUnaligned(as: UInt32.self))
                | UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)) << UInt64(8 * (count - 4))
        }
        guard count > 0 else { return 0 }
        return UInt64(base[0]) | UInt64(base[count >> 1]) << UInt64(8 * (count >> 1)) | UInt64(base[count - 1]) << UInt64(8 * (count - 1))
    }

    /// The lanes of `word` that are zero, each marked by its high bit, exactly (a lane past a zero one is
    /// not marked by a borrow, as it can be by the quicker `(word - 0x01…) & ~word & 0x80…` test).
    @inline(__always)
    static func zeroLanes(_ word: UInt64) -> UInt64 {
        let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((word & lows) &+ lows) | word | lows)
    }

    /// One pass from `start` for the CSV fast path: calls `body` with the index of every `delimiter` before
    /// the first sought byte, in order, until it returns false (then nil); returns where the first sought
    /// byte is (or the count) and whether every byte before it is ASCII. Looks at 64 bytes at a time with
    /// vector instructions (``hatif_scan_block``); only the first three sought bytes count.
    @inline(__always)
    func scan(
        _ buffer: UnsafeBufferPointer<UInt8>, from start: Int, delimiter: UInt8, _ body: (Int) -> Bool
    ) -> (end: Int, isASCII: Bool)? {
        let count = buffer.count
        guard let base = buffer.baseAddress else { return (count, true) }
        var highs: UInt64 = 0
        var index = start
        while index < count {
            var stops: UInt64
            var found: UInt64
            var seen: UInt64
            if count - index >= 64 {
                let masks = hatif_scan_block(base + index, delimiter, bytes.0, bytes.1, bytes.2)
                (stops, found, seen) = (masks.sought, masks.delimiters, masks.high)
            } else {
                let masks = Self.withBlock(copying: base + index, count: count - index) {
                    hatif_scan_block($0, delimiter, bytes.0, bytes.1, bytes.2)
                }
                let valid = Self.bits(below: count - index)
                (stops, found, seen) = (masks.sought & valid, masks.delimiters & valid, masks.high & valid)
            }
            let lane = stops.trailingZeroBitCount
            if stops != 0 {
                // Only the bytes before the stop belong to the run.
                let before: UInt64 = lane == 0 ? 0 : ~0 >> (64 - UInt64(lane))
                found &= before
                seen &= before
            }
            highs |= seen
            while found != 0 {
                guard body(index + found.trailingZeroBitCount) else { return nil }
                found &= found &- 1
            }
            if stops != 0 { return (index + lane, highs == 0) }
            index += 64
        }
        return (count, highs == 0)
    }
}
