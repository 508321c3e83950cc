/// Escapes in vCard values: `\,` `\;` `\n` `\N` `\\` (2.1 escapes only `\;`, but the others are harmless).
enum VCardValue {
    /// The value with escapes undone.
    static func unescape(_ text: String, version: String?) -> String {
        guard text.contains("\\") else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var escaped = false
        for character in text {
            if escaped {
                switch character {
                case "n", "N": result.append("\n")
                default: result.append(character)
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        if escaped { result.append("\\") }
        return result
    }

    /// Splits on unescaped `separator`, then unescapes each part.
    static func split(_ text: String, on separator: Character, version: String?) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaped = false
        for character in text {
            if escaped {
                current.append("\\")
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == separator {
                parts.append(unescape(current, version: version))
                current = ""
            } else {
                current.append(character)
            }
        }
        if escaped { current.append("\\") }
        parts.append(unescape(current, version: version))
        return parts
    }
}
