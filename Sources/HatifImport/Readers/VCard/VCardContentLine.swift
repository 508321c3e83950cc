/// The head of one vCard content line, `[group.]NAME[;param…]:`, parsed at the byte level, and where its
/// value starts.
struct VCardContentLine {
    var group: String?
    /// Upper-cased property name.
    let name: String
    /// What the reader does with the property.
    let kind: VCardPropertyKind
    /// The parsed parameter list, shared through the file's cache; nil for a line without parameters.
    var parameterList: VCardParameterCache.Entry?
    /// Offset of the value's first byte from the start of the line.
    var valueOffset: Int

    /// Parameters by upper-cased name.
    var parameters: [String: [String]] { parameterList?.parameters ?? [:] }
    /// The `ENCODING` parameter, upper-cased, if any.
    var encoding: String? { parameterList?.encoding }
    /// The parameters the line's fields keep (without `ENCODING` and `CHARSET`).
    var fieldParameters: [String: [String]] { parameterList?.fieldParameters ?? [:] }
    /// The `CHARSET` parameter, when it names a known encoding.
    var charset: TextEncoding? { parameterList?.charset }

    /// Whether a bare 2.1 parameter names an encoding rather than a type.
    private static func isBareEncoding(_ value: String) -> Bool {
        value == "QUOTED-PRINTABLE" || value == "BASE64" || value == "8BIT" || value == "7BIT" || value == "B"
    }

    /// Parses the head of `line`; nil when there is no `:` (a broken line) or no name. Parameter lists
    /// come from `cache` when seen before.
    static func parse(_ line: UnsafeBufferPointer<UInt8>, cache: inout VCardParameterCache) -> VCardContentLine? {
        let count = line.count
        var index = 0
        var nameEnd = -1
        var lastDot = -1
        while index < count {
            let byte = line[index]
            if byte == UInt8(ascii: ":") || byte == UInt8(ascii: ";") {
                nameEnd = index
                break
            }
            if byte == UInt8(ascii: ".") { lastDot = index }
            index += 1
        }
        guard nameEnd > 0 else { return nil }
        let nameStart = lastDot >= 0 ? lastDot + 1 : 0
        guard nameStart < nameEnd else { return nil }
        let name = upperASCII(UnsafeBufferPointer(rebasing: line[nameStart..<nameEnd]))
        let group = lastDot > 0 ? lowerASCII(UnsafeBufferPointer(rebasing: line[0..<lastDot])) : nil
        if line[nameEnd] == UInt8(ascii: ":") {
            return VCardContentLine(group: group, name: name, kind: VCardPropertyKind(name), parameterList: nil, valueOffset: nameEnd + 1)
        }
        // Parameters: `;KEY=V1,V2`, `;BARE`, values may be quoted; the list ends at the first unquoted `:`.
        index = unquotedIndex(of: UInt8(ascii: ":"), in: line, from: nameEnd)
        guard index < count else { return nil }
        let entry = cache.parameters(UnsafeBufferPointer(rebasing: line[nameEnd..<index]), parse: parseParameters)
        return VCardContentLine(group: group, name: name, kind: VCardPropertyKind(name), parameterList: entry, valueOffset: index + 1)
    }

    /// Parses a parameter list, `;` first, up to (not with) the `:`.
    private static func parseParameters(_ raw: UnsafeBufferPointer<UInt8>) -> VCardParameterCache.Entry {
        var parameters: [String: [String]] = [:]
        let count = raw.count
        var index = 0
        while index < count, raw[index] == UInt8(ascii: ";") {
            let start = index + 1
            let end = unquotedIndex(of: UInt8(ascii: ";"), in: raw, from: start)
            if end > start { addParameter(UnsafeBufferPointer(rebasing: raw[start..<end]), to: &parameters) }
            index = end
        }
        return VCardParameterCache.Entry(raw: Array(raw), parameters: parameters)
    }

    /// The index of the first `stop` outside double quotes at or after `start`, or the count.
    private static func unquotedIndex(of stop: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        var quoted = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if !quoted && byte == stop {
                break
            }
            index += 1
        }
        return index
    }

    private static func addParameter(_ bytes: UnsafeBufferPointer<UInt8>, to parameters: inout [String: [String]]) {
        guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")) else {
            let value = upperASCII(bytes).trimmedSpaces()
            parameters[isBareEncoding(value) ? "ENCODING" : "TYPE", default: []].append(value)
            return
        }
        let key = upperASCII(UnsafeBufferPointer(rebasing: bytes[0..<equals])).trimmedSpaces()
        let upper = key == "TYPE" || key == "ENCODING"
        var values: [String] = []
        var start = equals + 1
        var quoted = false
        var index = start
        func flush(_ end: Int) {
            var text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self).trimmedSpaces()
            if text.hasPrefix("\""), text.hasSuffix("\""), text.utf8.count >= 2 {
                text = String(text.dropFirst().dropLast())
                // 4.0 quotes a TYPE list: TYPE="cell,voice".
                if key == "TYPE" {
                    values += text.split(separator: ",").map { $0.uppercased().trimmedSpaces() }
                    return
                }
            }
            values.append(upper ? text.uppercased() : text)
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if byte == UInt8(ascii: ",") && !quoted {
                flush(index)
                start = index + 1
            }
            index += 1
        }
        flush(bytes.count)
        parameters[key, default: []].append(contentsOf: values)
    }

    /// ASCII letters upper-cased, other bytes as they are.
    static func upperASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if !bytes.contains(where: { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        return String(decoding: bytes.map { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") ? $0 - 32 : $0 }, as: UTF8.self)
    }

    /// ASCII letters lower-cased, other bytes as they are.
    static func lowerASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if !bytes.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        return String(decoding: bytes.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 + 32 : $0 }, as: UTF8.self)
    }

    /// Whether the value (starting with `valuePrefix`) is binary data in the line (base64 or a data: URI).
    func isInlineBinary(valuePrefix: UnsafeBufferPointer<UInt8>) -> Bool {
        if let encoding, encoding == "B" || encoding == "BASE64" { return true }
        return valuePrefix.starts(with: "data:".utf8)
    }
}
