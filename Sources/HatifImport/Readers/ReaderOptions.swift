/// Options for every reader, so one value configures whatever formats a run reads.
public struct ReaderOptions: Sendable, Equatable {
    /// The format; nil detects it per file. Default nil.
    public var format: InputFormat?
    /// CSV options.
    public var csv: CSVOptions
    /// vCard options.
    public var vcard: VCardOptions
    /// XML options.
    public var xml: XMLOptions
    /// XLSX options (the header row is ``CSVOptions/header``).
    public var xlsx: XLSXOptions

    /// Creates options; every parameter has the documented default.
    public init(
        format: InputFormat? = nil, csv: CSVOptions = CSVOptions(), vcard: VCardOptions = VCardOptions(), xml: XMLOptions = XMLOptions(),
        xlsx: XLSXOptions = XLSXOptions()
    ) {
        self.format = format
        self.csv = csv
        self.vcard = vcard
        self.xml = xml
        self.xlsx = xlsx
    }

    /// Opens a reader for the input `path` names (``InputName``: a file, a .gz, a zip entry, `-`) in its
    /// format, resuming at `startAt` when given.
    public func open(_ path: String, startAt: ReadPosition? = nil) throws(ReaderError) -> OpenedReader {
        let format: InputFormat
        if let chosen = self.format { format = chosen } else { format = try InputFormat.detect(path: path) }
        switch format {
        case .csv:
            let reader = try CSVReader(path: path, options: csv, startAt: startAt)
            var facts = ["encoding \(reader.dialect.encoding)", "delimiter \(Self.name(of: reader.dialect.delimiter))"]
            facts += reader.dialect.notices
            return OpenedReader(format: .csv, reader: reader, facts: facts, notices: reader.dialect.notices)
        case .vcf:
            let reader = try VCardReader(path: path, options: vcard, startAt: startAt)
            return OpenedReader(format: .vcf, reader: reader, facts: reader.notices, notices: reader.notices)
        case .xml:
            let reader = try XMLReader(path: path, options: xml, startAt: startAt)
            let facts = reader.notices.isEmpty ? ["record element \(reader.recordPath.joined(separator: "/"))"] : reader.notices
            return OpenedReader(format: .xml, reader: reader, facts: facts, notices: reader.notices)
        case .xlsx:
            let reader = try XLSXReader(path: path, options: xlsx, header: csv.header, startAt: startAt)
            return OpenedReader(format: .xlsx, reader: reader, facts: ["sheet \"\(reader.sheetName)\""] + reader.notices, notices: reader.notices)
        }
    }

    static func name(of delimiter: UInt8) -> String {
        switch delimiter {
        case UInt8(ascii: ","): "comma"
        case UInt8(ascii: ";"): "semicolon"
        case UInt8(ascii: "\t"): "tab"
        case UInt8(ascii: "|"): "pipe"
        default: "'\(Character(UnicodeScalar(delimiter)))'"
        }
    }
}

/// A reader opened for one file, with what was found out about the file.
public struct OpenedReader {
    /// The file's format.
    public let format: InputFormat
    /// The reader.
    public var reader: any RecordReader
    /// Facts and notices about the file (encoding, delimiter, record element, fallbacks).
    public let facts: [String]
    /// What was guessed or passed over in reading the file (a fallback encoding, lines before a CSV's
    /// table, sheets not read): what `validate`, the dry run and the run tell the user.
    public let notices: [String]

    init(format: InputFormat, reader: any RecordReader, facts: [String], notices: [String]) {
        self.format = format
        self.reader = reader
        self.facts = facts
        self.notices = notices
    }

    /// The next record or reject; nil at the end.
    public mutating func next() throws(ReaderError) -> ReadItem? { try reader.next() }

    /// What was passed over at the end of the file (a footer after the table), once ``next()`` returned nil.
    public var endNotices: [String] { reader.endNotices }
}
