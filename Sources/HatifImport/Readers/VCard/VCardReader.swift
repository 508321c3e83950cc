/// Reads vCard 2.1, 3.0 and 4.0 cards (mixed in one file) card by card, without holding the file.
///
/// Unfolds continuation lines and quoted-printable soft breaks, decodes `ENCODING=QUOTED-PRINTABLE` with
/// `CHARSET=`, skips inline binary (PHOTO, LOGO, SOUND, KEY in base64 or data: URIs) without buffering it,
/// unescapes values, splits structured values (`N` → `N.family`, `N.given`, …; `ADR` → `ADR.street`, …)
/// and lists (`CATEGORIES`, `NICKNAME`), keeps groups (`item1.TEL` with `item1.X-ABLabel`), parameters in
/// every syntax and `X-` properties. A broken card is a reject with its line; the next card still reads.
public struct VCardReader: RecordReader {
    static let structuredComponents: [String: [String]] = [
        "N": ["family", "given", "additional", "prefix", "suffix"],
        "ADR": ["pobox", "extended", "street", "locality", "region", "postalCode", "country"],
        "ORG": ["name", "unit", "unit2", "unit3"],
        "GENDER": ["sex", "identity"],
    ]
    static let listProperties: Set<String> = ["CATEGORIES", "NICKNAME"]
    static let binaryProperties: Set<String> = ["PHOTO", "LOGO", "SOUND", "KEY"]

    /// The file as the user named it.
    public let path: String
    /// Things worth telling the user about the file.
    public private(set) var notices: [String] = []
    private let options: VCardOptions
    private var lines: PhysicalLineReader
    private var ordinal = 0
    private var physical: [UInt8] = []
    private var logical: [UInt8] = []
    private var logicalInfo: PhysicalLineReader.LineInfo?
    private var logicalIsQuotedPrintable = false
    private var logicalTooLong = false
    private var skippingBinary = false
    /// Value bytes of the binary property being skipped, and where its field is in the card.
    private var skipped: (bytes: Int, field: Int)?
    private var card: CardInProgress?
    private var finished = false

    /// What is known of the card being read.
    private struct CardInProgress {
        var ordinal: Int
        var location: SourceLocation
        var version: String?
        var fields: [SourceField] = []
        var notes: [String] = []
        var problem: String?
        var properties = 0
        var excerpt: [UInt8] = []
    }

    /// Opens `path`; with `startAt`, reading resumes at that card's `BEGIN:VCARD` line.
    public init(path: String, options: VCardOptions = VCardOptions(), startAt: ReadPosition? = nil) throws(ReaderError) {
        let file = try InputFile(path: path)
        self.path = path
        self.options = options
        var start: Int64 = 0
        var prefix: [UInt8] = []
        _ = try file.read(at: 0, count: 3, into: &prefix)
        if prefix == [0xEF, 0xBB, 0xBF] { start = 3 }
        lines = PhysicalLineReader(
            file: file, startOffset: startAt?.byteOffset ?? start, line: startAt?.line ?? 1,
            maxLineBytes: options.maxValueBytes + 4096)
        ordinal = (startAt?.ordinal ?? 1) - 1
    }

    /// The next card or reject; nil at the end of the file.
    public mutating func next() throws(ReaderError) -> ReadItem? {
        while !finished {
            guard let info = try lines.next(into: &physical) else {
                finished = true
                recordSkippedBytes()
                if let item = flushLogical() { return item }
                if let open = card {
                    card = nil
                    return reject(open, reason: "the card has no END:VCARD before the end of the file")
                }
                return nil
            }
            if let item = consume(info) { return item }
        }
        return nil
    }

    /// Takes one physical line; returns an item when a card ended.
    private mutating func consume(_ info: PhysicalLineReader.LineInfo) -> ReadItem? {
        let first = physical.first
        let isContinuation = first == 0x20 || first == 0x09
        if skippingBinary {
            if isContinuation || physical.isEmpty {
                skipped?.bytes += max(0, info.length - 1)
                return nil
            }
            skippingBinary = false
            recordSkippedBytes()
        }
        if logicalInfo != nil {
            if isContinuation {
                appendToLogical(physical.dropFirst(), truncated: info.truncated)
                return nil
            }
            if logicalIsQuotedPrintable && logical.last == UInt8(ascii: "=") {
                logical.removeLast()
                appendToLogical(physical[...], truncated: info.truncated)
                return nil
            }
        }
        let item = flushLogical()
        startLogical(info)
        return item
    }

    private mutating func appendToLogical(_ bytes: ArraySlice<UInt8>, truncated: Bool) {
        if truncated || logical.count + bytes.count > options.maxValueBytes + 4096 {
            logicalTooLong = true
            return
        }
        logical.append(contentsOf: bytes)
    }

    private mutating func startLogical(_ info: PhysicalLineReader.LineInfo) {
        logical.removeAll(keepingCapacity: true)
        logicalTooLong = info.truncated
        guard !physical.isEmpty || info.truncated else {
            logicalInfo = nil
            return
        }
        logical.append(contentsOf: physical)
        logicalInfo = info
        logicalIsQuotedPrintable = false
        if let line = VCardContentLine.parse(logical[...]) {
            if Self.binaryProperties.contains(line.name) && line.isInlineBinary {
                if let index = card?.fields.count {
                    card?.fields.append(SourceField(name: line.name, value: "", parameters: line.parameters, group: line.group))
                    skipped = (info.length - (line.value.startIndex - logical.startIndex), index)
                }
                skippingBinary = true
                logicalInfo = nil
                return
            }
            logicalIsQuotedPrintable = line.encoding == "QUOTED-PRINTABLE"
        }
    }

    /// Notes on the skipped binary field how many value bytes it had.
    private mutating func recordSkippedBytes() {
        guard let (bytes, index) = skipped else { return }
        skipped = nil
        if let count = card?.fields.count, index < count {
            card?.fields[index].parameters["X-SKIPPED-BYTES"] = ["\(bytes)"]
        }
    }

    /// Processes the logical line collected so far; returns an item when it ended a card.
    private mutating func flushLogical() -> ReadItem? {
        guard let info = logicalInfo else { return nil }
        logicalInfo = nil
        let bytes = logical[...]
        guard let line = VCardContentLine.parse(bytes) else {
            if card != nil, card?.problem == nil { card?.problem = "line \(info.number) is not a vCard property (no ':')" }
            return nil
        }
        switch line.name {
        case "BEGIN" where asciiValue(line.value) == "VCARD":
            var previous: ReadItem?
            if let open = card {
                previous = reject(open, reason: "the card has no END:VCARD before the next BEGIN:VCARD")
            }
            ordinal += 1
            card = CardInProgress(
                ordinal: ordinal, location: SourceLocation(file: path, line: info.number, byteOffset: info.offset))
            card?.excerpt = Array(bytes.prefix(200))
            return previous
        case "END" where asciiValue(line.value) == "VCARD":
            guard let finishedCard = card else { return nil }
            card = nil
            return complete(finishedCard)
        default:
            guard card != nil else { return nil }
            if card!.excerpt.count < 200 { card!.excerpt += [0x0A] + bytes.prefix(200 - card!.excerpt.count) }
            card!.properties += 1
            if card!.properties > options.maxProperties {
                if card!.problem == nil { card!.problem = "more than \(options.maxProperties) properties" }
                return nil
            }
            if logicalTooLong {
                if card!.problem == nil {
                    card!.problem = "property \(line.name) on line \(info.number) is longer than \(options.maxValueBytes) bytes"
                }
                return nil
            }
            if line.name == "VERSION" {
                card!.version = asciiValue(line.value)
                return nil
            }
            addFields(of: line, line: info.number)
            return nil
        }
    }

    private func asciiValue(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self).trimmedSpaces().uppercased()
    }

    private mutating func addFields(of line: VCardContentLine, line number: Int) {
        var bytes = Array(line.value)
        switch line.encoding {
        case "QUOTED-PRINTABLE"?: bytes = QuotedPrintable.decode(bytes)
        case "B"?, "BASE64"?: bytes = Base64.decode(bytes) ?? bytes
        default: break
        }
        var text: String
        let charset = line.parameters["CHARSET"]?.first
        if let charset, let encoding = TextEncoding(name: charset) {
            text = encoding.decode(bytes) ?? String(decoding: bytes, as: UTF8.self)
        } else if let valid = bytes.withUnsafeBufferPointer(UTF8Text.string) {
            text = valid
        } else {
            text = TextEncoding.windows1252.decode(bytes) ?? ""
            card!.notes.append("\(line.name) on line \(number) is not UTF-8; read as Windows-1252")
        }
        var parameters = line.parameters
        parameters["CHARSET"] = nil
        parameters["ENCODING"] = nil
        let version = card!.version
        if let components = Self.structuredComponents[line.name] {
            let parts = VCardValue.split(text, on: ";", version: version)
            for (index, part) in parts.enumerated() where !part.isEmpty {
                let label = index < components.count ? components[index] : "part\(index + 1)"
                let name = line.name == "ORG" && index == 0 ? "ORG" : "\(line.name).\(label)"
                card!.fields.append(SourceField(name: name, value: part, parameters: parameters, group: line.group))
            }
        } else if Self.listProperties.contains(line.name) {
            for item in VCardValue.split(text, on: ",", version: version) where !item.isEmpty {
                card!.fields.append(SourceField(name: line.name, value: item, parameters: parameters, group: line.group))
            }
        } else {
            var value = VCardValue.unescape(text, version: version)
            if line.name == "TEL" && value.lowercased().hasPrefix("tel:") { value = String(value.dropFirst(4)) }
            card!.fields.append(SourceField(name: line.name, value: value, parameters: parameters, group: line.group))
        }
    }

    private mutating func complete(_ card: CardInProgress) -> ReadItem {
        if let problem = card.problem { return reject(card, reason: problem) }
        var notes = card.notes
        switch card.version {
        case "2.1"?, "3.0"?, "4.0"?: break
        case nil: notes.append("the card has no VERSION; read as 3.0")
        case let other?: return reject(card, reason: "unsupported VERSION \(other) (2.1, 3.0 and 4.0 are read)")
        }
        return .record(SourceRecord(ordinal: card.ordinal, location: card.location, fields: card.fields, notes: notes))
    }

    private func reject(_ card: CardInProgress, reason: String) -> ReadItem {
        .reject(
            SourceReject(
                ordinal: card.ordinal, location: card.location, reason: reason,
                excerpt: String(decoding: card.excerpt, as: UTF8.self)))
    }
}
