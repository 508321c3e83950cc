import ArgumentParser
import HatifImport

/// How to read input files; shared by every command that reads them.
struct ReaderArguments: ParsableArguments {
    @Option(help: "Input format: csv, vcf, xml or xlsx (default: from the file name or content; needed for - when the content does not tell).")
    var format: String?

    @Option(help: "CSV encoding: utf-8, utf-16le, utf-16be, windows-1252, iso-8859-1, iso-8859-6 (default: detected).")
    var encoding: String?

    @Option(help: "CSV delimiter: , ; tab or | (default: sniffed).")
    var delimiter: String?

    @Option(
        name: .customLong("header-line"),
        help: "CSV and XLSX: the line (XLSX: row) the header is on (default: 1; for CSV, the table's first line when lines of fewer fields, a title or notes, come before it).")
    var headerLine: Int?

    @Flag(name: .customLong("no-header"), help: "CSV and XLSX: the file has no header row.")
    var noHeader = false

    @Option(name: .customLong("record-path"), help: "XML: path of the record element, e.g. contacts/contact (default: detected).")
    var recordPath: String?

    @Option(help: "XLSX: the sheet to read, by name or 1-based number (default: the first).")
    var sheet: String?

    /// The reader options these arguments describe.
    func readerOptions() throws -> ReaderOptions {
        var options = ReaderOptions()
        if let format {
            guard let parsed = InputFormat(rawValue: format.lowercased()) else {
                throw ValidationError("--format must be csv, vcf, xml or xlsx.")
            }
            options.format = parsed
        }
        if let encoding {
            guard let parsed = TextEncoding(name: encoding) else {
                throw ValidationError("Unknown --encoding \(encoding); use one of \(TextEncoding.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            options.csv.encoding = parsed
        }
        if let delimiter {
            switch delimiter.lowercased() {
            case ",", "comma": options.csv.delimiter = UInt8(ascii: ",")
            case ";", "semicolon": options.csv.delimiter = UInt8(ascii: ";")
            case "tab", "\\t", "\t": options.csv.delimiter = UInt8(ascii: "\t")
            case "|", "pipe": options.csv.delimiter = UInt8(ascii: "|")
            default: throw ValidationError("--delimiter must be , ; tab or |.")
            }
        }
        if let headerLine, headerLine < 1 { throw ValidationError("--header-line must be 1 or more.") }
        options.csv.header = noHeader ? .none : headerLine.map { .line($0) } ?? .detected
        options.xml.recordPath = recordPath
        options.xlsx.sheet = sheet
        return options
    }

    /// The inputs `files` name, folders and .zip archives expanded (``InputCatalog``), with a line on
    /// standard error for each file passed over, and for standard input when a run reads it (`resumable`):
    /// it cannot be resumed by offset.
    func inputs(_ files: [String], resumable: Bool = false) throws -> [String] {
        let expansion = try InputCatalog.expand(files)
        for notice in expansion.notices { printError("note: \(notice)") }
        if resumable && expansion.inputs.contains("-") {
            printError(
                "note: standard input is read once, front to back: a resumed run reads the same stream again from its start and skips the records already committed, after checking that they are the same")
        }
        return expansion.inputs
    }
}
