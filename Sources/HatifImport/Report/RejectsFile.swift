import Foundation

/// Writes `rejects.csv`: one row per rejected record with its place, the field and value at fault, the
/// reason, and the record's original non-empty fields (a JSON object in file order; a repeated name
/// appears more than once), so it can be fixed and imported again.
public final class RejectsFile {
    private let writer: BufferedWriter
    private let redactor: Redactor?
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
        var original = excerpt.map { text in redactor.map { _ in "(\(text.utf8.count) bytes, masked)" } ?? text } ?? ""
        if let record {
            original = JSONText.object(
                zip(record.fieldNames, record.fieldValues).filter { !$0.1.isEmpty }.map { ($0.0, redactor?.guess($0.1) ?? $0.1) })
        }
        var value = reject.value ?? ""
        var reason = reject.reason
        if let redactor {
            value = redactor.value(value, field: reject.field ?? "")
            reason = redactor.text(reason)
        }
        let cells = [reject.location.file, "\(reject.location.line)", "\(reject.ordinal)", reject.field ?? "", value, reason, original]
        try writer.write(cells.map(Self.cell).joined(separator: ",") + "\n")
        count += 1
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
        var quoted = "\""
        for character in text {
            if character == "\"" { quoted += "\"\"" } else { quoted.append(character) }
        }
        return quoted + "\""
    }
}
