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
    private let file: InputFile
    private var lines: PhysicalLineReader
    private var ordinal = 0
    private var heads = VCardHeadCache()
    private var layouts: RecordLayouts
    /// A logical line folded over several physical lines, joined (a line that is not folded is read in place).
    private var unfolded: [UInt8] = []
    private var card = CardInProgress()
    /// The record or reject of the card a line just ended, until ``next()`` hands it out.
    private var ended: ReadItem?
    private var finished = false
    /// Lines outside any card (after an `END:VCARD` or before the first `BEGIN:VCARD`): where the first
    /// starts, and where the last ends. A card whose `BEGIN:VCARD` line is damaged shows as such lines up
    /// to its `END:VCARD`, and they become one reject rather than nothing.
    private var stray: (line: Int, offset: Int64, lastLine: Int, end: Int64)?

    /// What is known of the card being read; its buffers serve card after card.
    private struct CardInProgress {
        var isOpen = false
        var ordinal = 0
        var location = SourceLocation(file: "", line: 0, byteOffset: 0)
        var version: String?
        /// The fields so far, by head and component; their names and attributes come from the layout.
        let fields = GrowableBuffer<UInt64>(capacity: 64)
        let values = RecordValues()
        /// Heads of this card that are not in the file's cache (numbered from `localHeadBase`), or that
        /// carry a field's own attributes (a skipped binary's size).
        var localHeads: [VCardContentLine] = []
        var notes: [String] = []
        var problem: String?
        var properties = 0

        /// Where the numbers of `localHeads` start.
        static let localHeadBase = 1 << 30

        /// Starts a new card at `line` and `byteOffset` of the file (`location` keeps its file's name).
        mutating func open(ordinal: Int, line: Int, byteOffset: Int64) {
            self.ordinal = ordinal
            location.line = line
            location.byteOffset = byteOffset
            isOpen = true
            version = nil
            fields.removeAll()
            // Most cards have none of these: leaving empty ones alone saves counting references.
            if !localHeads.isEmpty { localHeads.removeAll() }
            if !notes.isEmpty { notes = [] }
            values.removeAll()
            problem = nil
            properties = 0
        }

        /// Adds a field whose value is `bytes` with vCard escapes undone, read as `charset` (UTF-8 when nil;
        /// `wellFormed` when they are known to be); false when they were to be UTF-8 and are not, and were
        /// read as Windows-1252 instead.
        @inline(__always)
        mutating func add(
            _ field: VCardFieldID, escaped bytes: UnsafeBufferPointer<UInt8>, charset: TextEncoding?,
            wellFormed known: Bool, escapes: Bool = true
        ) -> Bool {
            let start = values.begin()
            VCardValue.appendUnescaped(bytes, to: values.utf8, escapes: escapes)
            var wellFormed = true
            if let charset, charset != .utf8 {
                let value = values.bytes(from: start)
                values.replace(from: start, with: charset.decode(value) ?? String(decoding: value, as: UTF8.self))
            } else if !known && !UTF8Text.isValid(values.bytes(from: start)) {
                values.replace(from: start, with: TextEncoding.windows1252.decode(values.bytes(from: start)) ?? "")
                wellFormed = false
            }
            values.end()
            fields.append(field.bits)
            return wellFormed
        }

        /// A number of this card's own for `head`, which the file's cache does not hold.
        mutating func localNumber(of head: VCardContentLine) -> Int {
            localHeads.append(head)
            return Self.localHeadBase + localHeads.count - 1
        }

        /// Counts a property line; false (and the card fails) past `maxProperties`.
        @inline(__always)
        mutating func countProperty(maxProperties: Int) -> Bool {
            properties += 1
            guard properties <= maxProperties else {
                failOnProperties(maxProperties)
                return false
            }
            return true
        }

        private mutating func failOnProperties(_ maxProperties: Int) { fail("more than \(maxProperties) properties") }

        /// Marks the card broken for `problem`, unless it already is.
        mutating func fail(_ problem: @autoclosure () -> String) {
            if self.problem == nil { self.problem = problem() }
        }
    }

    /// Opens `path`; with `startAt`, reading resumes at that card's `BEGIN:VCARD` line.
    public init(path: String, options: VCardOptions = VCardOptions(), startAt: ReadPosition? = nil) throws(ReaderError) {
        var file = try InputFile(path: path)
        self.path = path
        self.options = options
        var start: Int64 = 0
        var prefix: [UInt8] = []
        _ = try file.read(at: 0, count: 4096, into: &prefix)
        // A file saved as UTF-16 ("Unicode") is read as its UTF-8 text: its byte-order mark becomes UTF-8's.
        if let utf16 = TextEncoding.utf16(sniffing: prefix) {
            file = file.decodingUTF16(bigEndian: utf16.encoding == .utf16BigEndian)
            _ = try file.read(at: 0, count: 3, into: &prefix)
        }
        if prefix.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        self.file = file
        lines = PhysicalLineReader(
            file: file, startOffset: startAt?.byteOffset ?? start, line: startAt?.line ?? 1,
            maxLineBytes: options.maxValueBytes + 4096)
        ordinal = (startAt?.ordinal ?? 1) - 1
        card.location.file = path
        layouts = RecordLayouts(file: path)
    }

    /// The next card or reject; nil at the end of the file.
    public mutating func next() throws(ReaderError) -> ReadItem? {
        while !finished {
            guard let info = try lines.advance() else {
                finished = true
                guard card.isOpen else { return strayReject() }
                return rejectOpenCard(reason: "the card has no END:VCARD before the end of the file", end: file.size)
            }
            if try consume(info) { return ended.take() }
        }
        return nil
    }

    /// Reads the logical line that starts with the current physical line (joining the lines folded into
    /// it) and processes it; true when it ended a card, whose item is in ``ended``.
    @inline(__always)
    private mutating func consume(_ info: PhysicalLineReader.LineInfo) throws(ReaderError) -> Bool {
        // A byte-order mark starts a line when files saved with one were joined (`cat a.vcf b.vcf`).
        let line = lines.line
        let mark = UTF8Text.byteOrderMarkLength(line)
        var first = UnsafeBufferPointer(rebasing: line[mark...])
        guard !first.isEmpty || info.truncated else { return false }
        // The head comes from the first physical line, so that a binary value is skipped, not gathered.
        let found = heads.head(of: first)
        if let head = found, head.kind == .binary,
            head.transfer == .base64 || UnsafeBufferPointer(rebasing: first[Int(head.valueOffset)...]).starts(with: "data:".utf8)
        {
            try skipBinary(heads.line(head), info)
            return false
        }
        var tooLong = info.truncated
        let quotedPrintable = found?.transfer == .quotedPrintable
        var next = try lines.peekNextLine()
        // Looking at the next line may read on and move the window: `first` is pointed again at the line's
        // new place (a view kept from before would show whatever the window now holds there).
        first = UnsafeBufferPointer(rebasing: lines.line[mark...])
        guard Self.join(next, after: first.last, quotedPrintable: quotedPrintable) != nil else {
            return handle(first, found, info, tooLong: tooLong)
        }
        unfolded.removeAll(keepingCapacity: true)
        unfolded.append(contentsOf: first)
        let cap = options.maxValueBytes + 4096
        while let join = Self.join(next, after: unfolded.last, quotedPrintable: quotedPrintable) {
            let softBreak = join == .softBreak
            guard let more = try lines.advance() else { break }
            if softBreak { unfolded.removeLast() }
            let added = lines.line.count - (softBreak ? 0 : 1)
            if more.truncated || unfolded.count + added > cap {
                tooLong = true
            } else if added > 0 {
                unfolded.append(contentsOf: UnsafeBufferPointer(rebasing: lines.line[(lines.line.count - added)...]))
            }
            next = try lines.peekNextLine()
        }
        var logical: [UInt8] = []
        swap(&logical, &unfolded)
        defer { swap(&logical, &unfolded) }
        return logical.withUnsafeBufferPointer { line in handle(line, found ?? heads.head(of: line), info, tooLong: tooLong) }
    }

    /// How the next line joins the logical line so far, whose last byte is `last`; nil when it starts
    /// another logical line.
    private enum Join {
        /// It starts with a space or a tab, which is dropped.
        case continuation
        /// The line so far is quoted-printable and ends in `=`, which is dropped; the next line is taken whole.
        case softBreak
    }

    @inline(__always)
    private static func join(_ next: PhysicalLineReader.NextLine, after last: UInt8?, quotedPrintable: Bool) -> Join? {
        if isContinuation(next) { return .continuation }
        if quotedPrintable && last == UInt8(ascii: "=") && next != .none { return .softBreak }
        return nil
    }

    /// Whether the next line continues the current one (starts with a space or a tab).
    private static func isContinuation(_ next: PhysicalLineReader.NextLine) -> Bool {
        next == .startsWith(0x20) || next == .startsWith(0x09)
    }

    /// Skips an inline binary value (PHOTO, LOGO, SOUND, KEY) and the lines folded into it, and adds its field,
    /// empty, with how many value bytes it had.
    private mutating func skipBinary(_ head: VCardContentLine, _ info: PhysicalLineReader.LineInfo) throws(ReaderError) {
        var bytes = info.length - head.valueOffset
        while true {
            let next = try lines.peekNextLine()
            guard next == .empty || Self.isContinuation(next), let more = try lines.advance() else { break }
            bytes += max(0, more.length - 1)
        }
        guard card.isOpen else {
            noteStray(info)
            return
        }
        guard card.countProperty(maxProperties: options.maxProperties) else { return }
        var parameters = head.parameters
        parameters["X-SKIPPED-BYTES"] = ["\(bytes)"]
        let own = VCardContentLine(head, fieldAttributes: SourceRecord.Attributes(parameters: parameters, group: head.group))
        let field = VCardFieldID(head: card.localNumber(of: own), component: 0)
        _ = card.add(field, escaped: UnsafeBufferPointer(start: nil, count: 0), charset: nil, wellFormed: true)
    }

    /// Processes one logical line; true when it ended a card, whose item is in ``ended``.
    ///
    /// Most lines end nothing: a flag is handed back per line and the item only per card (an optional item
    /// handed back up through the calls of every line cost about 2% of the reader's instructions).
    @inline(__always)
    private mutating func handle(
        _ line: UnsafeBufferPointer<UInt8>, _ found: VCardHeadCache.Head?, _ info: PhysicalLineReader.LineInfo, tooLong: Bool
    ) -> Bool {
        guard let head = found else {
            if card.isOpen {
                card.fail("line \(info.number) is not a vCard property (no ':')")
            } else if line.contains(where: { $0 != 0x20 && $0 != 0x09 }) {
                noteStray(info)
            }
            return false
        }
        let value = UnsafeBufferPointer(rebasing: line[min(Int(head.valueOffset), line.count)...])
        switch head.kind {
        case .begin where Self.isKeyword(value, "VCARD"):
            let endedOpenCard = card.isOpen
            if endedOpenCard {
                ended = rejectOpenCard(reason: "the card has no END:VCARD before the next BEGIN:VCARD", end: info.offset)
            } else if let lines = strayReject() {
                ended = lines
            }
            ordinal += 1
            card.open(ordinal: ordinal, line: info.number, byteOffset: info.offset)
            return ended != nil
        case .end where Self.isKeyword(value, "VCARD"):
            guard card.isOpen else {
                guard stray != nil else { return false }
                noteStray(info)
                ended = strayReject()
                return true
            }
            ended = complete(end: info.offset + Int64(info.length))
            return true
        default:
            guard card.isOpen else {
                noteStray(info)
                return false
            }
            guard card.countProperty(maxProperties: options.maxProperties) else { return false }
            if tooLong {
                card.fail("property \(heads.line(head).name) on line \(info.number) is longer than \(options.maxValueBytes) bytes")
                return false
            }
            if head.kind == .version {
                card.version = Self.version(value)
                return false
            }
            let number = head.number ?? card.localNumber(of: heads.line(head))
            addFields(head, number: number, value, line: info.number)
            return false
        }
    }

    /// Whether a keyword value (`VCARD` of `BEGIN:VCARD`) is `keyword`, ignoring case and surrounding spaces.
    @inline(__always)
    private static func isKeyword(_ value: UnsafeBufferPointer<UInt8>, _ keyword: StaticString) -> Bool {
        var start = 0
        var end = value.count
        while start < end, value[start] == 0x20 || value[start] == 0x09 { start += 1 }
        while end > start, value[end - 1] == 0x20 || value[end - 1] == 0x09 { end -= 1 }
        guard end - start == keyword.utf8CodeUnitCount else { return false }
        let expected = keyword.utf8Start
        for offset in 0..<(end - start) {
            let byte = value[start + offset]
            let upper = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte
            if upper != expected[offset] { return false }
        }
        return true
    }

    /// The value of a `VERSION` line, trimmed and upper-cased.
    private static func version(_ value: UnsafeBufferPointer<UInt8>) -> String {
        if value.count == 3, value[1] == UInt8(ascii: "."), value[2] == UInt8(ascii: "0") || value[2] == UInt8(ascii: "1") {
            switch (value[0], value[2]) {
            case (UInt8(ascii: "3"), UInt8(ascii: "0")): return "3.0"
            case (UInt8(ascii: "4"), UInt8(ascii: "0")): return "4.0"
            case (UInt8(ascii: "2"), UInt8(ascii: "1")): return "2.1"
            default: break
            }
        }
        return VCardContentLine.upperASCII(value).trimmedSpaces()
    }

    /// Adds the field or fields of a property line: one, one per component of a structured value, or one
    /// per item of a list.
    @inline(__always)
    private mutating func addFields(_ head: VCardHeadCache.Head, number: Int, _ value: UnsafeBufferPointer<UInt8>, line: Int) {
        let decoded: [UInt8]?
        switch head.transfer {
        case .quotedPrintable: decoded = QuotedPrintable.decode(value)
        case .base64: decoded = Base64.decode(Array(value))
        case .none:
            // Apple's stand-in year for a date without one, taken out before the value is added.
            decoded = head.kind == .yearOmitted ? heads.line(head).omittedYear.flatMap { Self.yearless(value, standIn: $0) } : nil
        }
        let fallback =
            if let decoded {
                decoded.withUnsafeBufferPointer { addValues(head, number: number, $0) }
            } else {
                addValues(head, number: number, value)
            }
        if fallback { card.notes.append("\(heads.line(head).name) on line \(line) is not UTF-8; read as Windows-1252") }
    }

    /// Adds the fields of `value` (transfer encoding undone); true when one was not UTF-8 and was read as
    /// Windows-1252.
    @inline(__always)
    private mutating func addValues(_ head: VCardHeadCache.Head, number: Int, _ value: UnsafeBufferPointer<UInt8>) -> Bool {
        // A value checked whole is UTF-8 in every part: escapes and separators are ASCII.
        let (ascii, escapes) = VCardValue.scan(value)
        let wellFormed = (head.charset ?? .utf8) == .utf8 && (ascii || UTF8Text.isValid(value))
        let charset = head.charset
        let whole = VCardFieldID(head: number, component: 0)
        var fallback = false
        switch head.kind {
        case .structured:
            VCardValue.forEachPart(of: value, on: UInt8(ascii: ";")) { index, range in
                guard !range.isEmpty else { return }
                let field = VCardFieldID(head: number, component: index + 1)
                if !card.add(field, escaped: UnsafeBufferPointer(rebasing: value[range]), charset: charset, wellFormed: wellFormed, escapes: escapes) { fallback = true }
            }
        case .list:
            VCardValue.forEachPart(of: value, on: UInt8(ascii: ",")) { _, range in
                guard !range.isEmpty else { return }
                if !card.add(whole, escaped: UnsafeBufferPointer(rebasing: value[range]), charset: charset, wellFormed: wellFormed, escapes: escapes) { fallback = true }
            }
        default:
            var bytes = value
            if head.kind == .telephone, bytes.count >= 4, bytes[0] | 0x20 == UInt8(ascii: "t"), bytes[1] | 0x20 == UInt8(ascii: "e"),
                bytes[2] | 0x20 == UInt8(ascii: "l"), bytes[3] == UInt8(ascii: ":")
            {
                bytes = UnsafeBufferPointer(rebasing: bytes[4...])
            }
            if !card.add(whole, escaped: bytes, charset: charset, wellFormed: wellFormed, escapes: escapes) { fallback = true }
        }
        return fallback
    }

    /// A date whose year is Apple's stand-in for none (`1604-05-17` with `X-APPLE-OMIT-YEAR=1604`) as a
    /// date without a year, as vCard 4.0 writes one (`--05-17`); nil when it does not start with that year.
    static func yearless(_ value: UnsafeBufferPointer<UInt8>, standIn year: String) -> [UInt8]? {
        let year = Array(year.utf8)
        guard !year.isEmpty, value.count > year.count, value.starts(with: year) else { return nil }
        let rest = value[(value.startIndex + year.count)...]
        return Array("--".utf8) + (rest.first == UInt8(ascii: "-") ? rest.dropFirst() : rest)
    }

    /// Ends the open card: its record, or its reject when it broke.
    private mutating func complete(end: Int64) -> ReadItem {
        card.isOpen = false
        if let problem = card.problem { return reject(reason: problem, end: end) }
        var notes = card.notes
        switch card.version {
        case "2.1"?, "3.0"?, "4.0"?: break
        case nil: notes.append("the card has no VERSION; read as 3.0")
        case let other?: return reject(reason: "unsupported VERSION \(other) (2.1, 3.0 and 4.0 are read)", end: end)
        }
        // A card's own heads are numbered per card: its layout is not kept.
        let layout: RecordLayouts.Layout
        if card.localHeads.isEmpty, let cached = layouts.cached(card.fields.buffer) {
            layout = cached
        } else {
            let (heads, local) = (heads.lines, card.localHeads)
            layout = layouts.build(card.fields.buffer) { bits in
                let field = VCardFieldID(bits: bits)
                let head = field.head >= CardInProgress.localHeadBase ? local[field.head - CardInProgress.localHeadBase] : heads[field.head]
                return (head.fieldName(component: field.component), head.fieldAttributes)
            }
            if local.isEmpty { layouts.keep(layout) }
        }
        return .record(
            SourceRecord(
                ordinal: card.ordinal, shape: layout.shape, line: card.location.line, byteOffset: card.location.byteOffset,
                utf8: card.values.utf8.buffer, ends: card.values.ends.buffer, notes: notes))
    }

    /// Counts the line of `info` among the lines outside any card.
    private mutating func noteStray(_ info: PhysicalLineReader.LineInfo) {
        let end = info.offset + Int64(info.length)
        stray = (stray?.line ?? info.number, stray?.offset ?? info.offset, info.number, end)
    }

    /// The reject of the lines outside any card since the last card, if there were any, with an ordinal
    /// of its own.
    private mutating func strayReject() -> ReadItem? {
        guard let lines = stray.take() else { return nil }
        ordinal += 1
        card.ordinal = ordinal
        card.location.line = lines.line
        card.location.byteOffset = lines.offset
        let which = lines.line == lines.lastLine ? "line \(lines.line) is" : "lines \(lines.line)–\(lines.lastLine) are"
        return reject(reason: "\(which) outside any card (no BEGIN:VCARD before them: a damaged first line of a card?)", end: lines.end)
    }

    /// Ends the open card, before `end` (a byte offset), as a reject for `reason`.
    private mutating func rejectOpenCard(reason: String, end: Int64) -> ReadItem {
        card.isOpen = false
        return reject(reason: reason, end: end)
    }

    /// The card just ended, before `end` (a byte offset), as a reject, with the first bytes of its text
    /// (read again from the file: only a reject needs them).
    private func reject(reason: String, end: Int64) -> ReadItem {
        var bytes: [UInt8] = []
        let count = Int(max(0, min(200, end - card.location.byteOffset)))
        _ = try? file.read(at: card.location.byteOffset, count: count, into: &bytes)
        // A character cut by the 200-byte limit is left out.
        if let cut = bytes.withUnsafeBufferPointer({ UTF8Text.firstInvalidIndex($0) }), cut >= bytes.count - 3 {
            bytes.removeSubrange(cut...)
        }
        let excerpt = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
            .trimmingCharacters(in: .newlines)
        return .reject(SourceReject(ordinal: card.ordinal, location: card.location, reason: reason, excerpt: excerpt))
    }
}
