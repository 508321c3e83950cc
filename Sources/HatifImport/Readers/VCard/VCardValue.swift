/// vCard value escapes at the byte level: `\,` `\;` `\n` `\N` `\\` (2.1 escapes only `\;`, but the others
/// are harmless), and splitting structured values on unescaped separators.
enum VCardValue {
    /// What one pass over a value, eight bytes at a time, tells: whether it is all ASCII (so UTF-8 without
    /// further checks) and whether it has a backslash (so escapes to undo).
    @inline(__always)
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> (ascii: Bool, escapes: Bool) {
        guard let base = bytes.baseAddress else { return (true, false) }
        let raw = UnsafeRawPointer(base)
        let count = bytes.count
        let ones: UInt64 = 0x0101_0101_0101_0101
        let backslashes = ones &* UInt64(UInt8(ascii: "\\"))
        var highs: UInt64 = 0
        var hits: UInt64 = 0
        var index = 0
        while index + 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            highs |= word
            let probe = word ^ backslashes
            hits |= (probe &- ones) & ~probe
            index += 8
        }
        if index < count {
            // The last bytes in one word, overlapping bytes already seen (seeing a byte twice changes
            // nothing): the last eight, or of a shorter value its first and last four, or its first,
            // middle and last byte (a value's short fields, `no`, `Analyst`, are many).
            let word: UInt64
            if count >= 8 {
                word = raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            } else if count >= 4 {
                word =
                    UInt64(raw.loadUnaligned(as: UInt32.self))
                    | UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)) << 32
            } else {
                word = UInt64(base[0]) | UInt64(base[count >> 1]) << 8 | UInt64(base[count - 1]) << 16
            }
            highs |= word
            let probe = word ^ backslashes
            hits |= (probe &- ones) & ~probe
        }
        // Exact as a yes/no: some lane equals a backslash exactly when a high bit survives.
        return (highs & 0x8080_8080_8080_8080 == 0, hits & 0x8080_8080_8080_8080 != 0)
    }

    /// Appends `bytes` with escapes undone to `output`: a plain copy when there is no backslash (which
    /// `escapes` false, from ``scan(_:)``, says without looking).
    @inline(__always)
    static func appendUnescaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: GrowableBuffer<UInt8>, escapes: Bool = true) {
        if escapes, bytes.contains(UInt8(ascii: "\\")) {
            appendUndoingEscapes(bytes, to: output)
        } else {
            output.append(bytes)
        }
    }

    /// Appends `bytes`, which have escapes, with the escapes undone.
    private static func appendUndoingEscapes(_ bytes: UnsafeBufferPointer<UInt8>, to output: GrowableBuffer<UInt8>) {
        var escaped = false
        for byte in bytes {
            if escaped {
                output.append(byte == UInt8(ascii: "n") || byte == UInt8(ascii: "N") ? 0x0A : byte)
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else {
                output.append(byte)
            }
        }
        if escaped { output.append(UInt8(ascii: "\\")) }
    }

    /// Calls `body` with the index and range of each part between unescaped `separator`s, in order.
    ///
    /// Looks at eight bytes at a time for the next separator or backslash: a name or an address has a few
    /// separators in tens of bytes. Not ``ByteFinder``, whose 64-byte blocks copy such a short value's tail
    /// into a block of their own: with it the vCard reader did 2.3% more instructions (callgrind, 100,000
    /// cards).
    static func forEachPart(
        of bytes: UnsafeBufferPointer<UInt8>, on separator: UInt8, _ body: (_ index: Int, _ range: Range<Int>) -> Void
    ) {
        let count = bytes.count
        guard let base = bytes.baseAddress else {
            body(0, 0..<count)
            return
        }
        if count <= 64 {
            // A name or an address: every separator in one mask, then a part per bit, without a backslash.
            let (separators, backslashes) = separatorMasks(base, count: count, separator: separator)
            if backslashes == 0 {
                var rest = separators
                var start = 0
                var part = 0
                while rest != 0 {
                    let hit = rest.trailingZeroBitCount
                    body(part, start..<hit)
                    part += 1
                    start = hit + 1
                    rest &= rest &- 1
                }
                body(part, start..<count)
                return
            }
        }
        var start = 0
        var part = 0
        var index = 0
        while true {
            let hit = nextSeparatorOrBackslash(base, count: count, from: index, separator: separator)
            guard hit < count else { break }
            if base[hit] == UInt8(ascii: "\\") {
                // The escaped byte is taken as it is, a separator too.
                index = hit + 2
                continue
            }
            body(part, start..<hit)
            part += 1
            start = hit + 1
            index = hit + 1
        }
        body(part, start..<count)
    }

    /// Bit i set where byte i of the `count` (at most 64) bytes at `base` is `separator`, and where it is a
    /// backslash: eight bytes at a time, the last eight overlapping those before (a byte seen twice sets the
    /// same bit).
    @inline(__always)
    private static func separatorMasks(_ base: UnsafePointer<UInt8>, count: Int, separator: UInt8) -> (separators: UInt64, backslashes: UInt64) {
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let separatorLanes = ones &* UInt64(separator)
        let backslashLanes = ones &* UInt64(UInt8(ascii: "\\"))
        var separators: UInt64 = 0
        var backslashes: UInt64 = 0
        @inline(__always) func add(_ word: UInt64, at offset: Int) {
            separators |= packed(ByteFinder.zeroLanes(word ^ separatorLanes)) << UInt64(offset)
            backslashes |= packed(ByteFinder.zeroLanes(word ^ backslashLanes)) << UInt64(offset)
        }
        if count >= 8 {
            var at = 0
            while at + 8 <= count {
                add(raw.loadUnaligned(fromByteOffset: at, as: UInt64.self), at: at)
                at += 8
            }
            if at < count { add(raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self), at: count - 8) }
        } else {
            // Zeros past the value match neither a separator nor a backslash.
            add(ByteFinder.word(base, count: count), at: 0)
        }
        return (separators, backslashes)
    }

    /// One bit per lane of `lanes` (bit i for lane i's high bit), from ``ByteFinder/zeroLanes(_:)``.
    @inline(__always)
    private static func packed(_ lanes: UInt64) -> UInt64 { ((lanes >> 7) &* 0x0102_0408_1020_4080) >> 56 }

    /// The index of the first `separator` or backslash at or after `from` among the `count` bytes at `base`,
    /// or `count`.
    @inline(__always)
    private static func nextSeparatorOrBackslash(_ base: UnsafePointer<UInt8>, count: Int, from: Int, separator: UInt8) -> Int {
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let separators = ones &* UInt64(separator)
        let backslashes = ones &* UInt64(UInt8(ascii: "\\"))
        var at = from
        while at + 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)
            let lanes = ByteFinder.zeroLanes(word ^ separators) | ByteFinder.zeroLanes(word ^ backslashes)
            if lanes != 0 { return at + lanes.trailingZeroBitCount / 8 }
            at += 8
        }
        guard at < count else { return count }
        if count >= 8 {
            // The last eight bytes, with the lanes before `at` (seen already) masked off.
            let word = raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            let seen = 8 - (count - at)
            let lanes = (ByteFinder.zeroLanes(word ^ separators) | ByteFinder.zeroLanes(word ^ backslashes)) & (~0 << UInt64(8 * seen))
            return lanes != 0 ? count - 8 + lanes.trailingZeroBitCount / 8 : count
        }
        while at < count {
            if base[at] == separator || base[at] == UInt8(ascii: "\\") { return at }
            at += 1
        }
        return count
    }
}
