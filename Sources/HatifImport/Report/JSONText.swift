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
    static func quoted(_ value: String) -> String { literal(value, forYAML: false) }

    /// A JSON string literal that is also a YAML double-quoted scalar libyaml reads back exactly: DEL, the
    /// C1 controls (NEL among them, a line break to YAML 1.1), the Unicode line and paragraph separators
    /// and the noncharacters U+FFFE/U+FFFF are escaped too.
    static func yamlQuoted(_ value: String) -> String { literal(value, forYAML: true) }

    private static func literal(_ value: String, forYAML: Bool) -> String {
        var text = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case let control where control.value < 0x20: text += escaped(control)
            case let other
            where forYAML
                && ((0x7F...0x9F).contains(other.value) || other.value == 0x2028 || other.value == 0x2029
                    || (0xFFFE...0xFFFF).contains(other.value)):
                text += escaped(other)
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }

    /// `\u001f`.
    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
