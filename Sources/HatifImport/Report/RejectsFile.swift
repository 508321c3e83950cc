import Foundation

/// Writes `rejects.csv`: one row per rejected record with its place, the field and value at fault, the
/// reason, and the record's original non-empty fields (a JSON object in file order; a repeated name
/// appears more than once), so it can be fixed and imported again.
public final class RejectsFile {
    private let writer: BufferedWriter
    /// The masking of every written value, when asked for.
    let redactor: Redactor?
    /// Rows written.
    public private(set) var count = 0

    /// Creates (or truncates) the file and writes its header; with a `redactor`, every value of a record
    /// is masked.
    public init(path: String, redactor: Redactor? = nil) throws(WriterError) {
        writer = try BufferedWriter(path: path)
        self.redactor = redactor
        try writer.write(Self.header)
    }

    /// Opens the file of a resumed run: keeps its first `keeping` bytes (what the last checkpoint covered)
    /// and appends after them; a new file gets the header.
    public init(path: String, keeping: Int64, redactor: Redactor? = nil) throws(WriterError) {
        writer = try BufferedWriter(path: path, keeping: keeping)
        self.redactor = redactor
        if keeping == 0 { try writer.write(Self.header) }
    }

    static let header = "file,line,record,field,value,reason,original\n"

    /// Appends one reject; `record` gives the original fields when the record could be read.
    public func append(_ reject: RecordReject, record: SourceRecord?, excerpt: String? = nil) throws(WriterError) {
        var row: [UInt8] = []
        var keys = OriginalKeys()
        Self.appendRow(reject, record: record, excerpt: excerpt, redactor: redactor, keys: &keys, to: &row)
        try append(rows: row, count: 1)
    }

    /// Appends `count` rows made one after the other by ``appendRow(_:record:excerpt:redactor:keys:to:)``.
    func append(rows: [UInt8], count: Int) throws(WriterError) {
        try writer.write(bytes: rows)
        self.count += count
    }

    /// Appends the row of `reject` to `line`, line break included: a function of its arguments alone, so a
    /// validation makes the rows of a window on every core and writes them in order. `keys` keeps the
    /// quoted field names of the last record shape, for the rows after it (one per task).
    static func appendRow(
        _ reject: RecordReject, record: SourceRecord?, excerpt: String?, redactor: Redactor?, keys: inout OriginalKeys,
        to line: inout [UInt8]
    ) {
        var value = reject.value ?? ""
        var reason = reject.reason
        if let redactor {
            value = redactor.value(value, field: reject.field ?? "")
            reason = redactor.text(reason)
        }
        appendCell(reject.location.file, to: &line)
        line.append(0x2C)
        JSONText.append(reject.location.line, to: &line)
        line.append(0x2C)
        JSONText.append(reject.ordinal, to: &line)
        line.append(0x2C)
        appendCell(reject.field ?? "", to: &line)
        line.append(0x2C)
        appendCell(value, to: &line)
        line.append(0x2C)
        appendCell(reason, to: &line)
        line.append(0x2C)
        if let record, redactor == nil {
            // The common case, byte for byte as the cell of the JSON text below, without a string per value:
            // a file with many rejects writes millions of values here.
            keys.appendCell(of: record, to: &line)
        } else {
            var original = excerpt.map { text in redactor.map { _ in "(\(text.utf8.count) bytes, masked)" } ?? text } ?? ""
            if let record {
                original = JSONText.object(
                    zip(record.fieldNames, record.fieldValues).filter { !$0.1.isEmpty }.map { ($0.0, redactor?.guess($0.1) ?? $0.1) })
            }
            appendCell(original, to: &line)
        }
        line.append(0x0A)
    }

    /// ``cell(_:)`` of `value`, appended as bytes.
    private static func appendCell(_ value: String, to line: inout [UInt8]) {
        appendCell(to: &line) { JSONText.append(value, to: &$0) }
    }

    /// Writes out what is buffered.
    public func close() throws(WriterError) { try writer.flush() }

    /// Writes out what is buffered, durably; returns the file's length (for the checkpoint).
    public func sync() throws(WriterError) -> Int64 { try writer.sync() }

    /// A CSV cell: quoted when needed, and prefixed with `'` when it starts with `=`, `+`, `-` or `@` so
    /// spreadsheets show it as text instead of running it as a formula.
    public static func cell(_ value: String) -> String {
        var text = value
        if let first = text.first, "=+-@\t\r".contains(first) { text = "'" + text }
        guard text.utf8.contains(where: needsQuotes) else { return text }
        var quoted: [UInt8] = []
        quoted.reserveCapacity(text.utf8.count + 16)
        appendQuoted(text.utf8, to: &quoted)
        return String(decoding: quoted, as: UTF8.self)
    }

    /// Whether a CSV cell holding `byte` is quoted: `,`, `"`, LF, CR.
    static func needsQuotes(_ byte: UInt8) -> Bool { byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D }

    /// Appends ``cell(_:)`` of the text `write` appends: as it is when it neither starts with a formula
    /// character nor holds a byte that needs quotes (nearly every cell), else through ``cell(_:)``.
    static func appendCell(to line: inout [UInt8], _ write: (inout [UInt8]) -> Void) {
        let start = line.count
        write(&line)
        guard start < line.count else { return }
        let first = line[start]
        // `=`, `+`, `-`, `@`, tab, CR: whether the first character is one of them is for cell(_:) to say.
        let formula = first == 0x3D || first == 0x2B || first == 0x2D || first == 0x40 || first == 0x09 || first == 0x0D
        guard formula || line[start...].contains(where: needsQuotes) else { return }
        let written = Array(line[start...])
        line.removeSubrange(start...)
        if formula {
            // Whether the first character (a grapheme: `=` with a combining accent is not `=`) is a formula's.
            line.append(contentsOf: cell(String(decoding: written, as: UTF8.self)).utf8)
        } else {
            // No formula character can start with another byte: quoted, as cell(_:) quotes it.
            appendQuoted(written, to: &line)
        }
    }

    /// ``cell(_:)`` of a JSON text, appended as bytes: a JSON text starts with `{` or `"`, never with a
    /// character that needs the formula prefix.
    private static func appendCell(_ json: [UInt8], to line: inout [UInt8]) {
        if json.contains(where: needsQuotes) {
            appendQuoted(json, to: &line)
        } else {
            line += json
        }
    }

    /// `"…"` with each `"` doubled, byte by byte: `"` is one byte in UTF-8 and never part of another
    /// character's bytes.
    private static func appendQuoted(_ bytes: some Sequence<UInt8>, to line: inout [UInt8]) {
        line.append(0x22)
        for byte in bytes {
            if byte == 0x22 { line.append(0x22) }
            line.append(byte)
        }
        line.append(0x22)
    }
}
