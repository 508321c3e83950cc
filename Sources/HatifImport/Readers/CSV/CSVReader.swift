/// Reads a CSV file record by record, never holding more than a chunk and one record.
///
/// Encoding and delimiter are detected unless given; the header names the fields. A broken record
/// (ragged, unterminated quote, oversized field, invalid UTF-8) becomes a ``SourceReject`` and reading
/// goes on.
public struct CSVReader: RecordReader {
    /// The file as the user named it.
    public let path: String
    /// What the file turned out to be.
    public let dialect: CSVDialect
    /// The header's field names (empty without a header).
    public private(set) var headers: [String] = []
    private let options: CSVOptions
    private var tokenizer: CSVTokenizer
    private var ordinal = 0
    /// The shape of records with as many fields as the header, and of the last other count seen.
    private let headerShape: RecordShape
    private var generatedShape: RecordShape?

    /// Opens `path`; with `startAt`, reading resumes at that record (the header is still read first).
    public init(path: String, options: CSVOptions = CSVOptions(), startAt: ReadPosition? = nil) throws(ReaderError) {
        let file = try InputFile(path: path)
        self.path = path
        self.options = options
        let dialect = try CSVDialect.detect(file, options: options)
        self.dialect = dialect
        tokenizer = CSVTokenizer(
            file: file, encoding: dialect.encoding, delimiter: dialect.delimiter,
            startOffset: Int64(dialect.byteOrderMarkLength), line: 1, maxFieldBytes: options.maxFieldBytes,
            maxFields: options.maxFields)
        if case .line(let headerLine) = options.header {
            guard headerLine >= 1 else { throw .invalidOptions(path: path, reason: "the header line must be 1 or more") }
            while let raw = try tokenizer.next() {
                guard raw.line >= headerLine else { continue }
                headers = (0..<min(raw.fieldCount, options.maxFields)).map { index in
                    let name = String(decoding: raw.field(index), as: UTF8.self).trimmingWhitespace()
                    return name.isEmpty ? "column\(index + 1)" : name
                }
                break
            }
        }
        headerShape = RecordShape(file: path, names: headers)
        if let start = startAt {
            tokenizer.restart(at: start.byteOffset, line: start.line)
            ordinal = start.ordinal - 1
        }
    }

    /// The next record or reject; nil at the end of the file.
    public mutating func next() throws(ReaderError) -> ReadItem? {
        while try tokenizer.advance() {
            if let item = item(tokenizer.record) { return item }
        }
        return nil
    }

    /// The item of the record the tokenizer completed, or nil for a blank line.
    private mutating func item(_ raw: CSVRawRecord) -> ReadItem? {
        if raw.fieldCount == 1 && raw.field(0).allSatisfy({ $0 == 0x20 || $0 == 0x09 }) && !raw.unterminated { return nil }
        ordinal += 1
        var location: SourceLocation { SourceLocation(file: path, line: raw.line, byteOffset: raw.inputOffset) }
        if let reason = rejection(raw) {
            if raw.unterminated, let resync = raw.resync { tokenizer.restart(at: resync.offset, line: resync.line) }
            return .reject(SourceReject(ordinal: ordinal, location: location, reason: reason, excerpt: Self.excerpt(raw)))
        }
        // The separators are ASCII, so checking the whole once checks every field.
        guard raw.isASCII || UTF8Text.isValid(raw.bytes) else {
            let invalidField = (0..<raw.fieldCount).first { UTF8Text.string(raw.field($0)) == nil } ?? 0
            return .reject(
                SourceReject(
                    ordinal: ordinal, location: location,
                    reason: "invalid \(dialect.encoding) text in field \(name(invalidField)); pass --encoding if the file is not \(dialect.encoding)",
                    excerpt: Self.excerpt(raw)))
        }
        var notes: [String] = []
        if raw.strayQuote { notes.append("a stray \" inside an unquoted field was kept as text") }
        if raw.textAfterQuote { notes.append("text after a closing quote was kept") }
        return .record(
            SourceRecord(
                ordinal: ordinal, shape: shape(count: raw.fieldCount), line: raw.line, byteOffset: raw.inputOffset, utf8: raw.bytes,
                ends: raw.fieldEnds, notes: notes))
    }

    /// The start of a rejected record's text, for the report.
    private static func excerpt(_ raw: CSVRawRecord) -> String { String(decoding: raw.bytes.prefix(200), as: UTF8.self) }

    private func name(_ index: Int) -> String { index < headers.count ? headers[index] : "column\(index + 1)" }

    /// The shape of a record with `count` fields, named by the header when it fits: shared by such records.
    private mutating func shape(count: Int) -> RecordShape {
        if count == headers.count { return headerShape }
        if let generatedShape, generatedShape.names.count == count { return generatedShape }
        let shape = RecordShape(file: path, names: (0..<count).map(name))
        generatedShape = shape
        return shape
    }

    private func rejection(_ raw: CSVRawRecord) -> String? {
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
