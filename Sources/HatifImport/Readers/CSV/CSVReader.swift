/// Reads a CSV file record by record, never holding more than a chunk and one record.
///
/// Encoding and delimiter are detected unless given; the header names the fields. A broken record
/// (ragged, unterminated quote, oversized field, invalid UTF-8) becomes a ``SourceReject`` and reading
/// goes on.
public struct CSVReader: RecordReader {
    /// The file as the user named it.
    public let path: String
    /// What the file turned out to be.
    public private(set) var dialect: CSVDialect
    /// The header's field names (empty without a header).
    public private(set) var headers: [String] = []
    private let options: CSVOptions
    private var tokenizer: CSVTokenizer
    private var ordinal = 0
    /// One-value lines after the table, held until it is known whether a record follows.
    private var footer = TableFooter()
    /// The header's fields as read, to tell a line that repeats it (files joined with `cat`).
    private var headerFields: [[UInt8]] = []
    /// The lines that repeated the header, and whether the last item made was one.
    private var repeatedHeaders: [Int] = []
    private var repeatedHeader = false
    /// The line after the last item, and whether a line of empty fields came since: where a blank line
    /// before a footer shows.
    private var lineAfterLast = 1
    private var blankSinceLast = false
    /// The shape of records with as many fields as the header, and of the last other count seen.
    private let headerShape: RecordShape
    private var generatedShape: RecordShape?

    /// Opens `path`; with `startAt`, reading resumes at that record (the header is still read first).
    public init(path: String, options: CSVOptions = CSVOptions(), startAt: ReadPosition? = nil) throws(ReaderError) {
        let file = try InputFile(path: path)
        self.path = path
        self.options = options
        var dialect = try CSVDialect.detect(file, options: options)
        var header = options.header
        if header == .detected {
            header = .line(1)
            if let table = try Self.tableAfterPreamble(file: file, dialect: dialect, options: options) {
                header = .line(table.header)
                dialect.notices.append(TablePreamble.notice(table, unit: "line"))
            }
        }
        self.dialect = dialect
        var tokenizer = Self.tokenizer(file, dialect, options)
        // Excel's `sep=` line is neither a record nor the header: the header is the line after it at the earliest.
        if dialect.hasSeparatorLine, header == .none { _ = try tokenizer.advance() }
        if case .line(let headerLine) = header {
            guard headerLine >= 1 else { throw .invalidOptions(path: path, reason: "the header line must be 1 or more") }
            let firstHeaderLine = dialect.hasSeparatorLine ? max(headerLine, 2) : headerLine
            while try tokenizer.advance() {
                let facts = tokenizer.facts
                guard facts.line >= firstHeaderLine else { continue }
                let raw = tokenizer.record
                var names: [String] = []
                for index in 0..<min(facts.fieldCount, options.maxFields) {
                    let name = Self.text(raw.field(index)).trimmingWhitespace()
                    names.append(name.isEmpty ? "column\(index + 1)" : name)
                }
                headers = names
                headerFields = (0..<min(facts.fieldCount, options.maxFields)).map { index in raw.field(index).withUnsafeBufferPointer { Array($0) } }
                break
            }
        }
        headerShape = RecordShape(file: path, names: headers)
        if let start = startAt {
            tokenizer.restart(at: start.byteOffset, line: start.line)
            ordinal = start.ordinal - 1
        }
        lineAfterLast = tokenizer.line
        self.tokenizer = tokenizer
    }

    private static func tokenizer(_ file: InputFile, _ dialect: CSVDialect, _ options: CSVOptions) -> CSVTokenizer {
        CSVTokenizer(
            file: file, encoding: dialect.encoding, delimiter: dialect.delimiter, startOffset: Int64(dialect.byteOrderMarkLength), line: 1,
            maxFieldBytes: options.maxFieldBytes, maxFields: options.maxFields)
    }

    /// Where the table starts when the file opens with lines of fewer fields (``TablePreamble``), else nil.
    static func tableAfterPreamble(file: InputFile, dialect: CSVDialect, options: CSVOptions) throws(ReaderError) -> TablePreamble.Table? {
        var scan = tokenizer(file, dialect, options)
        var lines: [TablePreamble.Line] = []
        while lines.count < TablePreamble.linesLooked, try scan.advance() {
            let facts = scan.facts
            if dialect.hasSeparatorLine && facts.line == 1 { continue }
            guard !facts.unterminated, facts.fieldCount <= options.maxFields else { break }
            let raw = scan.record
            var named = 0
            for index in 0..<facts.fieldCount where !isBlank(raw.field(index)) { named += 1 }
            if named > 0 { lines.append(TablePreamble.Line(line: facts.line, fields: facts.fieldCount, named: named)) }
        }
        return TablePreamble.table(in: lines, shorterRows: false)
    }

    /// The next record or reject; nil at the end of the file.
    public mutating func next() throws(ReaderError) -> ReadItem? {
        if let due = footer.nextDue() { return due }
        while try tokenizer.advance() {
            guard let item = item() else {
                blankSinceLast = true
                // The header again: another file's start, so lines held before it ended the one before.
                if repeatedHeader {
                    repeatedHeader = false
                    ordinal -= footer.finish(unit: "line")
                    if let due = footer.nextDue() { return due }
                }
                continue
            }
            if !footer.isHolding, case .record = item {
                lineAfterLast = tokenizer.line
                blankSinceLast = false
                return item
            }
            // A ragged line of one value in a table of more may be a footer's (unterminated and oversized
            // lines are other rejects).
            let facts = tokenizer.facts
            let oneValue = facts.fieldCount == 1 && headers.count >= 2 && !facts.unterminated && facts.oversizedField == nil
            let gapBefore = blankSinceLast || facts.line > lineAfterLast
            lineAfterLast = tokenizer.line
            blankSinceLast = false
            if let out = footer.pass(item, oneValue: oneValue, gapBefore: gapBefore, line: facts.line, text: Self.excerpt(of: item)) {
                return out
            }
        }
        footer.finish(unit: "line")
        return footer.nextDue()
    }

    /// What was skipped on the way through the file: a footer after the table (``TableFooter``), lines that
    /// repeated the header.
    public var endNotices: [String] {
        guard let first = repeatedHeaders.first else { return footer.notices }
        let lines =
            repeatedHeaders.count == 1
            ? "line \(first) repeats" : "lines \(repeatedHeaders.prefix(3).map { "\($0)" }.joined(separator: ", "))\(repeatedHeaders.count > 3 ? " and \(repeatedHeaders.count - 3) more" : "") repeat"
        return footer.notices + ["\(lines) the header (files joined one after another) and \(repeatedHeaders.count == 1 ? "is" : "are") skipped"]
    }

    /// Whether `record` holds the header's fields, the first after any byte-order mark (a file saved
    /// with one, joined after another).
    private func repeatsHeader(_ record: borrowing CSVRawRecord) -> Bool {
        for index in headerFields.indices {
            let same = record.field(index).withUnsafeBufferPointer { field in
                let mark = index == 0 ? UTF8Text.byteOrderMarkLength(field) : 0
                return field.count - mark == headerFields[index].count && UnsafeBufferPointer(rebasing: field[mark...]).elementsEqual(headerFields[index])
            }
            if !same { return false }
        }
        return true
    }

    private static func excerpt(of item: ReadItem) -> String {
        if case .reject(let reject) = item { return reject.excerpt }
        return ""
    }

    /// The item of the record the tokenizer completed, or nil for a blank line or a row of empty fields
    /// (`,,,,` as Excel saves rows whose cells were cleared): neither holds a value to import or lose.
    private mutating func item() -> ReadItem? {
        let facts = tokenizer.facts
        if !facts.unterminated && facts.fieldCount <= options.maxFields && Self.isBlank(tokenizer.record, fieldCount: facts.fieldCount) {
            return nil
        }
        if facts.fieldCount == headerFields.count && !facts.unterminated && repeatsHeader(tokenizer.record) {
            repeatedHeaders.append(facts.line)
            repeatedHeader = true
            return nil
        }
        ordinal += 1
        var location: SourceLocation { SourceLocation(file: path, line: facts.line, byteOffset: facts.inputOffset) }
        if let reason = rejection(facts) {
            let excerpt = Self.excerpt(tokenizer.record)
            if facts.unterminated, let resync = facts.resync { tokenizer.restart(at: resync.offset, line: resync.line) }
            return .reject(SourceReject(ordinal: ordinal, location: location, reason: reason, excerpt: excerpt))
        }
        let shape = shape(count: facts.fieldCount)
        let raw = tokenizer.record
        return raw.bytes.withUnsafeBufferPointer { bytes in
            // The separators are ASCII, so checking the whole once checks every field.
            guard facts.isASCII || UTF8Text.isValidRun(bytes) else {
                let invalidField = (0..<facts.fieldCount).first { index in
                    raw.field(index).withUnsafeBufferPointer { UTF8Text.string($0) == nil }
                } ?? 0
                return .reject(
                    SourceReject(
                        ordinal: ordinal, location: location,
                        reason: "invalid \(dialect.encoding) text in field \(name(invalidField)); pass --encoding if the file is not \(dialect.encoding)",
                        excerpt: Self.excerpt(raw)))
            }
            var notes: [String] = []
            if facts.strayQuote { notes.append("a stray \" inside an unquoted field was kept as text") }
            if facts.textAfterQuote { notes.append("text after a closing quote was kept") }
            return raw.fieldEnds.withUnsafeBufferPointer { ends in
                .record(
                    SourceRecord(
                        ordinal: ordinal, shape: shape, line: facts.line, byteOffset: facts.inputOffset, utf8: bytes, ends: ends, notes: notes))
            }
        }
    }

    /// The start of a rejected record's text, for the report.
    private static func excerpt(_ raw: borrowing CSVRawRecord) -> String { text(raw.bytes.extracting(first: 200)) }

    /// `utf8` as text (invalid bytes replaced).
    private static func text(_ utf8: Span<UInt8>) -> String { utf8.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) } }

    /// Whether every field of `record` holds only spaces and tabs; a record with a value says so at its
    /// first field that has one, most at the first.
    private static func isBlank(_ record: borrowing CSVRawRecord, fieldCount: Int) -> Bool {
        for index in 0..<fieldCount where !isBlank(record.field(index)) { return false }
        return true
    }

    /// Whether `field` holds only spaces and tabs.
    private static func isBlank(_ field: Span<UInt8>) -> Bool {
        for index in field.indices where field[index] != 0x20 && field[index] != 0x09 { return false }
        return true
    }

    private func name(_ index: Int) -> String { index < headers.count ? headers[index] : "column\(index + 1)" }

    /// The shape of a record with `count` fields, named by the header when it fits: shared by such records.
    private mutating func shape(count: Int) -> RecordShape {
        if count == headers.count { return headerShape }
        if let generatedShape, generatedShape.names.count == count { return generatedShape }
        let shape = RecordShape(file: path, names: (0..<count).map(name))
        generatedShape = shape
        return shape
    }

    private func rejection(_ raw: CSVRecordFacts) -> String? {
        if raw.unterminated {
            let resume = raw.resync.map { "; reading went on at line \($0.line)" } ?? ""
            return "a quoted field opened here never closes\(resume)"
        }
        if let field = raw.oversizedField {
            return "field \(name(field)) is longer than \(options.maxFieldBytes) bytes"
        }
        if raw.fieldCount > options.maxFields {
            return "\(raw.fieldCount) fields, more than the \(options.maxFields) allowed"
        }
        if !headers.isEmpty && raw.fieldCount != headers.count {
            return "expected \(headers.count) fields as in the header, found \(raw.fieldCount)"
        }
        return nil
    }
}
