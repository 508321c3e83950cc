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
        try append(row: Self.row(reject, record: record, excerpt: excerpt, redactor: redactor))
    }

    /// Appends a row made by ``row(_:record:excerpt:redactor:)`` with this file's redactor.
    func append(row: [UInt8]) throws(WriterError) {
        try writer.write(bytes: row)
        count += 1
    }

    /// The row ``append(_:record:excerpt:)`` writes, line break included: a function of its arguments
    /// alone, so a validation makes the rows of a window on every core and writes them in order.
    static func row(_ reject: RecordReject, record: SourceRecord?, excerpt: String?, redactor: Redactor?) -> [UInt8] {
        var value = reject.value ?? ""
        var reason = reject.reason
        if let redactor {
            value = redactor.value(value, field: reject.field ?? "")
            reason = redactor.text(reason)
        }
        let cells = [reject.location.file, "\(reject.location.line)", "\(reject.ordinal)", reject.field ?? "", value, reason]
        var line = Array(cells.map(Self.cell).joined(separator: ",").utf8)
        line.append(0x2C)
        if let record, redactor == nil {
            // The common case, byte for byte as the cell of the JSON text below, without a string per value:
            // a file with many rejects writes millions of values here.
            Self.appendCell(Self.originalJSON(record), to: &line)
        } else {
            var original = excerpt.map { text in redactor.map { _ in "(\(text.utf8.count) bytes, masked)" } ?? text } ?? ""
            if let record {
                original = JSONText.object(
                    zip(record.fieldNames, record.fieldValues).filter { !$0.1.isEmpty }.map { ($0.0, redactor?.guess($0.1) ?? $0.1) })
            }
            line += Array(Self.cell(original).utf8)
        }
        line.append(0x0A)
        return line
    }

    /// The record's non-empty fields as a JSON object in file order, as ``JSONText/object(_:)`` writes it.
    private static func originalJSON(_ record: SourceRecord) -> [UInt8] {
        let names = record.fieldNames
        var json: [UInt8] = [0x7B]
        json.reserveCapacity(1024)
        var first = true
        record.forEachValue { index, utf8 in
            guard !utf8.isEmpty else { return }
            if !first { json.append(0x2C) }
            first = false
            JSONText.appendLiteral(utf8: names[index].utf8, to: &json)
            json.append(0x3A)
            JSONText.appendLiteral(utf8: utf8, to: &json)
        }
        json.append(0x7D)
        return json
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
        guard text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return text }
        var quoted: [UInt8] = []
        quoted.reserveCapacity(text.utf8.count + 16)
        appendQuoted(text.utf8, to: &quoted)
        return String(decoding: quoted, as: UTF8.self)
    }

    /// ``cell(_:)`` of a JSON text, appended as bytes: a JSON text starts with `{` or `"`, never with a
    /// character that needs the formula prefix.
    private static func appendCell(_ json: [UInt8], to line: inout [UInt8]) {
        if json.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
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
