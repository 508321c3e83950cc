/// Small JSON writing for the line-oriented outputs (rejects, results): faster than
/// `JSONSerialization` for flat objects, and with a stable key order.
enum JSONText {
    /// `{"key":"value",…}` with keys in the given order.
    static func object(_ pairs: [(String, String)]) -> String {
        var text = "{"
        for (index, pair) in pairs.enumerated() {
            if index > 0 { text += "," }
            text += quoted(pair.0) + ":" + quoted(pair.1)
        }
        return text + "}"
    }

    /// A JSON string literal.
    static func quoted(_ value: String) -> String {
        var text = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }
}
