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
        if index < count && count >= 8 {
            // The last eight bytes, overlapping words already seen (seeing a byte twice changes nothing).
            let word = raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            highs |= word
            let probe = word ^ backslashes
            hits |= (probe &- ones) & ~probe
            index = count
        }
        // Exact as a yes/no: some lane equals a backslash exactly when a high bit survives.
        var escapes = hits & 0x8080_8080_8080_8080 != 0
        while index < count {
            let byte = base[index]
            highs |= UInt64(byte)
            if byte == UInt8(ascii: "\\") { escapes = true }
            index += 1
        }
        return (highs & 0x8080_8080_8080_8080 == 0, escapes)
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
    static func forEachPart(
        of bytes: UnsafeBufferPointer<UInt8>, on separator: UInt8, _ body: (_ index: Int, _ range: Range<Int>) -> Void
    ) {
        var start = 0
        var part = 0
        var escaped = false
        for index in 0..<bytes.count {
            let byte = bytes[index]
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == separator {
                body(part, start..<index)
                part += 1
                start = index + 1
            }
        }
        body(part, start..<bytes.count)
    }
}
