/// Reads the rows of one sheet of an XLSX workbook (as Excel, LibreOffice, Google Sheets and openpyxl
/// write them) as records, streamed: the sheet's zip entry inflated on another core
/// (``PrefetchingStream``) into libxml2's SAX2 push parser, never the whole sheet in memory, the shared
/// strings in memory up to a budget and spilled beyond it (``XLSXSharedStrings``).
///
/// The header row is found as for CSV (``TablePreamble``, `--header-line`, or none), and one-value rows
/// after the table are a footer as in CSV (``TableFooter``); a row is a record, named
/// `book.xlsx[Sheet]:ROW` by its row number in the sheet; empty rows are skipped. A workbook that is not
/// a plain file (inside a .zip, gzipped, on standard input) is first copied to a temporary file: a zip's
/// directory is at its end. Resuming skips the records before the checkpoint's ordinal (counted, not
/// built): a sheet cannot be entered at an offset.
public struct XLSXReader: RecordReader {
    /// The workbook as the user named it.
    public let path: String
    /// The sheet read.
    public let sheetName: String
    /// The header's field names (empty without a header).
    public var headers: [String] { collector.headers }
    /// Things worth telling the user (the other sheets, spilled shared strings).
    public private(set) var notices: [String] = []
    /// `book.xlsx[Contacts]`: the file name records' locations carry.
    private let label: String
    private let parser: XLSXPartParser
    private let collector: XLSXSheetCollector

    /// Opens the workbook `path` names (``InputName``) at the sheet `options` choose; with `startAt`,
    /// skips to the record with that ordinal.
    public init(path: String, options: XLSXOptions = XLSXOptions(), header: CSVOptions.Header = .line(1), startAt: ReadPosition? = nil)
        throws(ReaderError)
    {
        self.path = path
        let file = InputName(path).isRandomAccess ? try InputFile(rawPath: path) : try InputFile.spooled(path, limits: options.limits)
        let archive = try ZipArchive(file: file, label: path, limits: options.limits)
        let workbook = try XLSXWorkbook(archive: archive, label: path)
        let sheet: XLSXWorkbook.Sheet
        if let wanted = options.sheet {
            if let found = workbook.sheets.first(where: { $0.name == wanted }) ?? workbook.sheets.first(where: { $0.name.lowercased() == wanted.lowercased() }) {
                sheet = found
            } else if let number = Int(wanted), number >= 1, number <= workbook.sheets.count {
                sheet = workbook.sheets[number - 1]
            } else {
                throw .invalidOptions(
                    path: path, reason: "no sheet \(wanted); its sheets are \(workbook.sheets.map { "\"\($0.name)\"" }.joined(separator: ", "))")
            }
        } else {
            guard let first = workbook.sheets.first else { throw .invalidOptions(path: path, reason: "the workbook has no sheet") }
            sheet = first
        }
        sheetName = sheet.name
        label = "\(path)[\(sheet.name)]"
        if workbook.sheets.count > 1 {
            notices.append("other sheets not read: \(workbook.sheets.filter { $0 != sheet }.map { "\"\($0.name)\"" }.joined(separator: ", ")) (use --sheet)")
        }
        var strings: XLSXSharedStrings?
        if let part = workbook.sharedStringsPart, let entry = archive.entry(named: part) {
            let loaded = XLSXSharedStrings(label: "\(path)!\(part)", budget: options.sharedStringsBudget)
            try loaded.load(from: PrefetchingStream(try archive.entryStream(entry)))
            if loaded.isSpilled { notices.append("\(loaded.count) shared strings, spilled to a temporary file") }
            strings = loaded
        }
        guard let entry = archive.entry(named: sheet.part) else {
            throw .badArchive(path: path, reason: "the sheet \"\(sheet.name)\" has no part \(sheet.part)")
        }
        if case .line(let line) = header, line < 1 { throw .invalidOptions(path: path, reason: "the header line must be 1 or more") }
        collector = XLSXSheetCollector(
            label: label, header: header, skipping: max(0, (startAt?.ordinal ?? 1) - 1), strings: strings, dateStyles: workbook.dateStyles,
            uses1904: workbook.uses1904)
        parser = try XLSXPartParser(stream: PrefetchingStream(try archive.entryStream(entry)), label: label, handler: collector)
        // The header is found before the first record, so that what was skipped to find it is known on opening.
        while collector.detecting, !parser.finished {
            try parser.parseNextChunk()
            if let failure = collector.failure { throw failure }
        }
        if parser.finished { collector.endOfSheet() }
        if let notice = collector.preambleNotice { notices.append(notice) }
    }

    /// What was skipped at the end of the sheet: a footer after the table (``TableFooter``).
    public var endNotices: [String] { collector.footer.notices }

    /// The next record; nil at the end of the sheet.
    public mutating func next() throws(ReaderError) -> ReadItem? {
        while true {
            if let item = collector.take() { return item }
            if let failure = collector.failure { throw failure }
            if parser.finished {
                collector.endOfSheet()
                return collector.take()
            }
            try parser.parseNextChunk()
        }
    }
}
