/// The head of one vCard content line, `[group.]NAME[;param…]:`, parsed once per distinct head of a file
/// (``VCardHeadCache``) with everything the reader needs from it, and where its value starts.
final class VCardContentLine {
    /// Offset of the value's first byte from the start of the line (just after the head's `:`).
    let valueOffset: Int
    /// Lower-cased group (`item1`), if any.
    let group: String?
    /// Upper-cased property name.
    let name: String
    /// What the reader does with the property.
    let kind: VCardPropertyKind
    /// Parameters by upper-cased name.
    let parameters: [String: [String]]
    /// What the `ENCODING` parameter asks of the value.
    let transfer: TransferEncoding
    /// The `CHARSET` parameter, when it names a known encoding.
    let charset: TextEncoding?
    /// The year Apple's Contacts writes in a date whose year the user left out (`BDAY;X-APPLE-OMIT-YEAR=1604:1604-05-17`).
    let omittedYear: String?
    /// What each field of the line keeps: the parameters but `ENCODING` and `CHARSET` (which the reader
    /// applies), and the group.
    let fieldAttributes: SourceRecord.Attributes

    /// How a value is encoded for transfer (`ENCODING=`).
    enum TransferEncoding {
        case none, quotedPrintable, base64
    }

    /// The name of a field of this line: component `component` of a structured value (1-based), or the
    /// property's name for 0.
    func fieldName(component: Int) -> String {
        guard component > 0 else { return name }
        let names = VCardPropertyKind.componentNames(of: name)
        if component <= names.count { return names[component - 1] }
        return "\(name).part\(component)"
    }

    /// Parses `head`, the bytes before the value's `:` (see ``headEnd(of:)``); nil when it has no name.
    init?(head: UnsafeBufferPointer<UInt8>) {
        let count = head.count
        var nameEnd = count
        var lastDot = -1
        for index in 0..<count {
            let byte = head[index]
            if byte == UInt8(ascii: ";") {
                nameEnd = index
                break
            }
            if byte == UInt8(ascii: ".") { lastDot = index }
        }
        let nameStart = lastDot + 1
        guard nameEnd > 0, nameStart < nameEnd else { return nil }
        valueOffset = head.count + 1
        name = Self.upperASCII(UnsafeBufferPointer(rebasing: head[nameStart..<nameEnd]))
        group = lastDot > 0 ? Self.lowerASCII(UnsafeBufferPointer(rebasing: head[0..<lastDot])) : nil
        var parameters: [String: [String]] = [:]
        Self.parseParameters(UnsafeBufferPointer(rebasing: head[nameEnd...]), into: &parameters)
        self.parameters = parameters
        omittedYear = parameters["X-APPLE-OMIT-YEAR"]?.first
        let kind = VCardPropertyKind(name)
        self.kind = kind == .other && omittedYear != nil ? .yearOmitted : kind
        transfer =
            switch parameters["ENCODING"]?.first {
            case "QUOTED-PRINTABLE"?: .quotedPrintable
            case "B"?, "BASE64"?: .base64
            default: .none
            }
        var kept = parameters
        kept["ENCODING"] = nil
        charset = kept.removeValue(forKey: "CHARSET")?.first.flatMap(TextEncoding.init(name:))
        fieldAttributes = SourceRecord.Attributes(parameters: kept, group: group)
    }

    /// A copy of `head` whose fields keep `fieldAttributes` instead (a skipped binary's size).
    init(_ head: VCardContentLine, fieldAttributes: SourceRecord.Attributes) {
        valueOffset = head.valueOffset
        group = head.group
        name = head.name
        kind = head.kind
        parameters = head.parameters
        transfer = head.transfer
        charset = head.charset
        omittedYear = head.omittedYear
        self.fieldAttributes = fieldAttributes
    }

    /// Where the head of `line` ends: the index of the `:` before the value (the first one after the name,
    /// or after the parameters outside double quotes); nil when there is none.
    static func headEnd(of line: UnsafeBufferPointer<UInt8>) -> Int? {
        let count = line.count
        var index = nameEnds.firstIndex(in: line, from: 0)
        while index < count {
            switch line[index] {
            case UInt8(ascii: ":"): return index
            case UInt8(ascii: "\""):
                // A quoted parameter value: a `:` in it does not end the head.
                let close = quotes.firstIndex(in: line, from: index + 1)
                guard close < count else { return nil }
                index = parameterStops.firstIndex(in: line, from: close + 1)
            default:
                index = parameterStops.firstIndex(in: line, from: index + 1)
            }
        }
        return nil
    }

    private static let nameEnds = ByteFinder(UInt8(ascii: ":"), UInt8(ascii: ";"))
    private static let parameterStops = ByteFinder(UInt8(ascii: ":"), UInt8(ascii: "\""))
    private static let quotes = ByteFinder(UInt8(ascii: "\""), UInt8(ascii: "\""))

    /// Whether a bare 2.1 parameter names an encoding rather than a type.
    private static func isBareEncoding(_ value: String) -> Bool {
        value == "QUOTED-PRINTABLE" || value == "BASE64" || value == "8BIT" || value == "7BIT" || value == "B"
    }

    /// Parses a parameter list, `;` first, up to (not with) the `:`.
    private static func parseParameters(_ raw: UnsafeBufferPointer<UInt8>, into parameters: inout [String: [String]]) {
        let count = raw.count
        var index = 0
        while index < count, raw[index] == UInt8(ascii: ";") {
            let start = index + 1
            let end = unquotedIndex(of: UInt8(ascii: ";"), in: raw, from: start)
            if end > start { addParameter(UnsafeBufferPointer(rebasing: raw[start..<end]), to: &parameters) }
            index = end
        }
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
}
