/// Reads vCard 2.1, 3.0 and 4.0 cards (mixed in one file) card by card, without holding the file.
///
/// Unfolds continuation lines and quoted-printable soft breaks, decodes `ENCODING=QUOTED-PRINTABLE` with
/// `CHARSET=`, skips inline binary (PHOTO, LOGO, SOUND, KEY in base64 or data: URIs) without buffering it,
/// unescapes values, splits structured values (`N` → `N.family`, `N.given`, …; `ADR` → `ADR.street`, …)
/// and lists (`CATEGORIES`, `NICKNAME`), keeps groups (`item1.TEL` with `item1.X-ABLabel`), parameters in
/// every syntax and `X-` properties. A broken card is a reject with its line; the next card still reads.
public struct VCardReader: RecordReader {
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
    /// The head of the logical line, parsed from its first physical line.
    private var logicalHead: VCardContentLine?
    private var logicalTooLong = false
    private var skippingBinary = false
    /// Value bytes of the binary property being skipped, and where its field is in the card.
    private var skipped: (bytes: Int, field: Int)?
    private var card: CardInProgress?
    private var finished = false
    private var parameterCache = VCardParameterCache()
    /// Fields and value bytes of the last card, to size the next one's buffers at once.
    private var cardSize = (fields: 16, bytes: 256)

    /// What is known of the card being read.
    private struct CardInProgress {
        var ordinal: Int
        var location: SourceLocation
        var version: String?
        var names: [String] = []
        var values: RecordValues
        var attributes: [SourceRecord.Attributes] = []
        var notes: [String] = []

        init(ordinal: Int, location: SourceLocation, sized size: (fields: Int, bytes: Int)) {
            self.ordinal = ordinal
            self.location = location
            values = RecordValues(fields: size.fields + 4, bytes: size.bytes + 60)
            names.reserveCapacity(size.fields + 4)
            attributes.reserveCapacity(size.fields + 4)
            excerpt.reserveCapacity(201)
        }

        mutating func add(_ name: String, _ value: String, _ parameters: [String: [String]], _ group: String?) {
            values.append(value.utf8)
            end(name, parameters, group)
        }

        /// Adds a field whose value is `bytes` with vCard escapes undone, read as `charset` (UTF-8 when nil);
        /// false when they were to be UTF-8 and are not, and were read as Windows-1252 instead.
        mutating func add(
            _ name: String, escaped bytes: UnsafeBufferPointer<UInt8>, charset: TextEncoding?, _ parameters: [String: [String]],
            _ group: String?
        ) -> Bool {
            let start = values.begin()
            VCardValue.appendUnescaped(bytes, to: &values.utf8)
            var wellFormed = true
            if let charset, charset != .utf8 {
                let text = values.utf8[start...].withUnsafeBufferPointer { charset.decode($0) ?? String(decoding: $0, as: UTF8.self) }
                values.utf8.replaceSubrange(start..., with: text.utf8)
            } else if !values.utf8.withUnsafeBufferPointer({ UTF8Text.isValid(UnsafeBufferPointer(rebasing: $0[start...])) }) {
                let text = values.utf8[start...].withUnsafeBufferPointer { TextEncoding.windows1252.decode($0) } ?? ""
                values.utf8.replaceSubrange(start..., with: text.utf8)
                wellFormed = false
            }
            values.end()
            end(name, parameters, group)
            return wellFormed
        }

        /// Counts a property line and adds it to the excerpt; false (and the card fails) past `maxProperties`.
        mutating func countProperty(_ line: [UInt8], maxProperties: Int) -> Bool {
            if excerpt.count < 200 {
                excerpt.append(0x0A)
                excerpt += line.prefix(200 - excerpt.count)
            }
            properties += 1
            guard properties <= maxProperties else {
                fail("more than \(maxProperties) properties")
                return false
            }
            return true
        }

        /// Marks the card broken for `problem`, unless it already is.
        mutating func fail(_ problem: @autoclosure () -> String) {
            if self.problem == nil { self.problem = problem() }
        }

        /// Names the value just ended.
        private mutating func end(_ name: String, _ parameters: [String: [String]], _ group: String?) {
            names.append(name)
            attributes.append(SourceRecord.Attributes(parameters: parameters, group: group))
        }
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
                if let open = card.take() {
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
                appendToLogical(physical[1...], truncated: info.truncated)
                return nil
            }
            if logicalHead?.encoding == "QUOTED-PRINTABLE" && logical.last == UInt8(ascii: "=") {
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
        logicalTooLong = info.truncated
        guard !physical.isEmpty || info.truncated else {
            logicalInfo = nil
            return
        }
        swap(&logical, &physical)
        logicalInfo = info
        logicalHead = logical.withUnsafeBufferPointer { VCardContentLine.parse($0, cache: &parameterCache) }
        guard let head = logicalHead, head.kind == .binary else { return }
        let binary = logical.withUnsafeBufferPointer { line in
            head.isInlineBinary(valuePrefix: UnsafeBufferPointer(rebasing: line[head.valueOffset...]))
        }
        guard binary else { return }
        if let index = card?.names.count {
            card?.add(head.name, "", head.parameters, head.group)
            skipped = (info.length - head.valueOffset, index)
        }
        skippingBinary = true
        logicalInfo = nil
    }

    /// Notes on the skipped binary field how many value bytes it had.
    private mutating func recordSkippedBytes() {
        guard let (bytes, index) = skipped else { return }
        skipped = nil
        if let count = card?.names.count, index < count {
            card?.attributes[index].parameters["X-SKIPPED-BYTES"] = ["\(bytes)"]
        }
    }

    /// Processes the logical line collected so far; returns an item when it ended a card.
    private mutating func flushLogical() -> ReadItem? {
        guard let info = logicalInfo else { return nil }
        logicalInfo = nil
        guard let head = logicalHead.take() ?? logical.withUnsafeBufferPointer({ VCardContentLine.parse($0, cache: &parameterCache) }) else {
            if card != nil { card!.fail("line \(info.number) is not a vCard property (no ':')") }
            return nil
        }
        switch head.kind {
        case .begin where keyword(head) == "VCARD":
            var previous: ReadItem?
            if let open = card.take() { previous = reject(open, reason: "the card has no END:VCARD before the next BEGIN:VCARD") }
            ordinal += 1
            card = CardInProgress(
                ordinal: ordinal, location: SourceLocation(file: path, line: info.number, byteOffset: info.offset),
                sized: cardSize)
            card?.excerpt.append(contentsOf: logical.prefix(200))
            return previous
        case .end where keyword(head) == "VCARD":
            guard let finishedCard = card.take() else { return nil }
            cardSize = (finishedCard.names.count, finishedCard.values.utf8.count)
            return complete(finishedCard)
        default:
            // `card!` only in mutating calls and assignments below: they work in place, where reading
            // `card!.x` would copy the whole card first.
            guard card != nil else { return nil }
            guard card!.countProperty(logical, maxProperties: options.maxProperties) else { return nil }
            if logicalTooLong {
                card!.fail("property \(head.name) on line \(info.number) is longer than \(options.maxValueBytes) bytes")
                return nil
            }
            if head.kind == .version {
                card!.version = keyword(head)
                return nil
            }
            addFields(head, line: info.number)
            return nil
        }
    }

    /// The value of a keyword line (`BEGIN:VCARD`, `VERSION:3.0`), trimmed and upper-cased.
    private func keyword(_ head: VCardContentLine) -> String {
        logical.withUnsafeBufferPointer { line in
            VCardContentLine.upperASCII(UnsafeBufferPointer(rebasing: line[head.valueOffset...])).trimmedSpaces()
        }
    }

    private mutating func addFields(_ head: VCardContentLine, line number: Int) {
        let parameters = head.fieldParameters
        var decodedBytes: [UInt8]?
        switch head.encoding {
        case "QUOTED-PRINTABLE"?: decodedBytes = QuotedPrintable.decode(logical[head.valueOffset...])
        case "B"?, "BASE64"?: decodedBytes = Base64.decode(Array(logical[head.valueOffset...]))
        default: break
        }
        let charset = head.charset
        var fallback = false
        let valueOffset = decodedBytes == nil ? head.valueOffset : 0
        let source = decodedBytes ?? logical
        let name = head.name
        source.withUnsafeBufferPointer { all in
            let value = UnsafeBufferPointer(rebasing: all[valueOffset...])
            if case .structured(let names) = head.kind {
                VCardValue.forEachPart(of: value, on: UInt8(ascii: ";")) { index, range in
                    guard !range.isEmpty else { return }
                    let fieldName = index < names.count ? names[index] : "\(name).part\(index + 1)"
                    let part = UnsafeBufferPointer(rebasing: value[range])
                    if !card!.add(fieldName, escaped: part, charset: charset, parameters, head.group) { fallback = true }
                }
            } else if head.kind == .list {
                VCardValue.forEachPart(of: value, on: UInt8(ascii: ",")) { _, range in
                    guard !range.isEmpty else { return }
                    let part = UnsafeBufferPointer(rebasing: value[range])
                    if !card!.add(name, escaped: part, charset: charset, parameters, head.group) { fallback = true }
                }
            } else {
                var bytes = value
                if head.kind == .telephone, bytes.count >= 4, bytes[0] | 0x20 == UInt8(ascii: "t"), bytes[1] | 0x20 == UInt8(ascii: "e"),
                    bytes[2] | 0x20 == UInt8(ascii: "l"), bytes[3] == UInt8(ascii: ":")
                {
                    bytes = UnsafeBufferPointer(rebasing: bytes[4...])
                }
                if !card!.add(name, escaped: bytes, charset: charset, parameters, head.group) { fallback = true }
            }
        }
        if fallback { card!.notes.append("\(name) on line \(number) is not UTF-8; read as Windows-1252") }
    }

    private mutating func complete(_ card: CardInProgress) -> ReadItem {
        if let problem = card.problem { return reject(card, reason: problem) }
        var notes = card.notes
        switch card.version {
        case "2.1"?, "3.0"?, "4.0"?: break
        case nil: notes.append("the card has no VERSION; read as 3.0")
        case let other?: return reject(card, reason: "unsupported VERSION \(other) (2.1, 3.0 and 4.0 are read)")
        }
        return .record(
            SourceRecord(
                ordinal: card.ordinal, location: card.location, names: card.names, values: card.values,
                attributes: card.attributes, notes: notes))
    }

    private func reject(_ card: CardInProgress, reason: String) -> ReadItem {
        .reject(
            SourceReject(
                ordinal: card.ordinal, location: card.location, reason: reason,
                excerpt: String(decoding: card.excerpt, as: UTF8.self)))
    }
}
