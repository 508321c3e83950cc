/// vCard value escapes at the byte level: `\,` `\;` `\n` `\N` `\\` (2.1 escapes only `\;`, but the others
/// are harmless), and splitting structured values on unescaped separators.
enum VCardValue {
    /// Appends `bytes` with escapes undone to `output`: a plain copy when there is no backslash.
    static func appendUnescaped(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        guard bytes.contains(UInt8(ascii: "\\")) else {
            output.append(contentsOf: bytes)
            return
        }
        output.reserveCapacity(output.count + bytes.count)
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
