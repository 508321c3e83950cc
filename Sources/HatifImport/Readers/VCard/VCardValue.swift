/// vCard value escapes at the byte level: `\,` `\;` `\n` `\N` `\\` (2.1 escapes only `\;`, but the others
/// are harmless), and splitting structured values on unescaped separators.
enum VCardValue {
    /// Bytes with escapes undone.
    static func unescape(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
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
        return output
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

    /// The text of `bytes` with escapes undone: no copy when there is no backslash.
    static func text(_ bytes: UnsafeBufferPointer<UInt8>, decode: (UnsafeBufferPointer<UInt8>) -> String) -> String {
        guard bytes.contains(UInt8(ascii: "\\")) else { return decode(bytes) }
        return unescape(bytes).withUnsafeBufferPointer(decode)
    }
}
