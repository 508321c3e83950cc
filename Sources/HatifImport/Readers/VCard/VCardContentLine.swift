/// One unfolded vCard content line split into its parts: `[group.]NAME[;param…]:value`.
struct VCardContentLine {
    var group: String?
    /// Upper-cased property name.
    var name: String
    /// Parameters by upper-cased name.
    var parameters: [String: [String]]
    /// The raw value bytes (still escaped and encoded).
    var value: ArraySlice<UInt8>

    /// Bare 2.1 parameters that name an encoding rather than a type.
    private static let bareEncodings: Set<String> = ["QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT", "B"]

    /// Splits `bytes`; nil when there is no `:` (a broken line).
    static func parse(_ bytes: ArraySlice<UInt8>) -> VCardContentLine? {
        var colon: Int?
        var quoted = false
        for index in bytes.indices {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if byte == UInt8(ascii: ":") && !quoted {
                colon = index
                break
            }
        }
        guard let colon else { return nil }
        let head = bytes[bytes.startIndex..<colon]
        var parts = splitUnquoted(head, on: UInt8(ascii: ";"))
        guard !parts.isEmpty else { return nil }
        let nameBytes = parts.removeFirst()
        var group: String?
        var name = ascii(nameBytes).uppercased()
        if let dot = name.lastIndex(of: ".") {
            group = String(name[..<dot]).lowercased()
            name = String(name[name.index(after: dot)...])
        }
        guard !name.isEmpty else { return nil }
        var parameters: [String: [String]] = [:]
        for part in parts where !part.isEmpty {
            if let equals = part.firstIndex(of: UInt8(ascii: "=")) {
                let key = ascii(part[part.startIndex..<equals]).uppercased().trimmedSpaces()
                let rawValue = part[(equals + 1)...]
                let values = splitUnquoted(rawValue, on: UInt8(ascii: ",")).flatMap { value -> [String] in
                    var text = String(decoding: value, as: UTF8.self).trimmedSpaces()
                    guard text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 else {
                        return [key == "TYPE" || key == "ENCODING" ? text.uppercased() : text]
                    }
                    text = String(text.dropFirst().dropLast())
                    // 4.0 quotes a TYPE list: TYPE="cell,voice".
                    guard key == "TYPE" else { return [text] }
                    return text.split(separator: ",").map { $0.uppercased().trimmedSpaces() }
                }
                parameters[key, default: []].append(contentsOf: values)
            } else {
                let value = ascii(part).uppercased().trimmedSpaces()
                let key = bareEncodings.contains(value) ? "ENCODING" : "TYPE"
                parameters[key, default: []].append(value)
            }
        }
        return VCardContentLine(group: group, name: name, parameters: parameters, value: bytes[(colon + 1)...])
    }

    private static func ascii(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    private static func splitUnquoted(_ bytes: ArraySlice<UInt8>, on separator: UInt8) -> [ArraySlice<UInt8>] {
        var parts: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        var quoted = false
        for index in bytes.indices {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if byte == separator && !quoted {
                parts.append(bytes[start..<index])
                start = index + 1
            }
        }
        parts.append(bytes[start..<bytes.endIndex])
        return parts
    }

    /// The `ENCODING` parameter, upper-cased ("QUOTED-PRINTABLE", "B", "BASE64"), if any.
    var encoding: String? { parameters["ENCODING"]?.first }

    /// Whether the value is binary data in the line (base64 or a data: URI).
    var isInlineBinary: Bool {
        if let encoding, encoding == "B" || encoding == "BASE64" { return true }
        return value.starts(with: Array("data:".utf8))
    }
}
