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

    /// Ranges of the parts between unescaped `separator`s.
    static func split(_ bytes: UnsafeBufferPointer<UInt8>, on separator: UInt8) -> [Range<Int>] {
        var parts: [Range<Int>] = []
        var start = 0
        var escaped = false
        for index in 0..<bytes.count {
            let byte = bytes[index]
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == separator {
                parts.append(start..<index)
                start = index + 1
            }
        }
        parts.append(start..<bytes.count)
        return parts
    }
}
