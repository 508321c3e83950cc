/// Turns a sheet's SAX events into records: each cell's text straight into the row's values (gaps in
/// the `r=` references become empty values), shared strings looked up, numbers and dates made readable
/// (``XLSXCellValue``), the row made a record in place, named by the header row. Finished records wait
/// for the reader (``take()``).
final class XLSXSheetCollector: XLSXPartHandler {
    /// The file name records carry (`book.xlsx[Contacts]`).
    private let label: String
    private var header: CSVOptions.Header
    private var headerPending: Bool
    /// The first rows with a value, held while the header is being found (``TablePreamble``).
    private var heldRows: [HeldRow] = []
    /// What was skipped before the table, once the header was found after a preamble.
    private(set) var preambleNotice: String?
    /// One-value rows after the table, held until it is known whether a record follows.
    private(set) var footer = TableFooter()
    /// The last row with a value, to tell an empty row between two.
    private var lastRow = 0
    private var ended = false
    /// The header's field names (empty without a header).
    private(set) var headers: [String] = []
    private var headerShape: RecordShape
    private var generatedShape: RecordShape?
    private var ordinal = 0
    /// Records still to be counted but not built (resuming).
    private let skipping: Int
    /// The end of the row's last non-empty value in `values`, and how many values that makes.
    private var filledBytes = 0
    private var filledValues = 0

    private enum CellType { case number, shared, inline, formulaText, boolean, error, isoDate }

    /// A row kept while the header is being found: its values as ``RecordValues`` lays them out.
    private struct HeldRow {
        var number: Int
        var utf8: [UInt8]
        var ends: [Int]
        var notes: [String]
        var named: Int
    }

    private let strings: XLSXSharedStrings?
    private let dateStyles: [Bool]
    private let uses1904: Bool
    private let values = RecordValues()
    private var ready: [ReadItem] = []
    private var readyStart = 0
    private var rowNumber = 0
    private var rowOpen = false
    private var column = 0
    private var type = CellType.number
    private var style = 0
    /// Whether text goes into the open value now.
    private var capturing = false
    /// Whether a value was begun for the cell and not ended.
    private var valueOpen = false
    private var inInline = false
    private var phoneticDepth = 0
    private var cellStart = 0
    /// The first failure met inside a callback (libxml2 callbacks cannot throw).
    private(set) var failure: ReaderError?
    /// Notes for the row being read.
    private var rowNotes: [String] = []
    /// Whether the header is still being found among the first rows (``CSVOptions/Header/detected``).
    private(set) var detecting: Bool

    init(
        label: String, header: CSVOptions.Header, skipping: Int, strings: XLSXSharedStrings?, dateStyles: [Bool], uses1904: Bool
    ) {
        self.label = label
        self.header = header
        headerPending = header != .none
        detecting = header == .detected
        headerShape = RecordShape(file: label, names: [])
        self.skipping = skipping
        self.strings = strings
        self.dateStyles = dateStyles
        self.uses1904 = uses1904
    }

    /// The next finished record, if one is waiting.
    func take() -> ReadItem? {
        guard readyStart < ready.count else {
            if !ready.isEmpty {
                ready.removeAll(keepingCapacity: true)
                readyStart = 0
            }
            return nil
        }
        defer { readyStart += 1 }
        return ready[readyStart]
    }

    func startElement(_ name: UnsafePointer<UInt8>, attributes: XLSXAttributes) {
        switch (name[0], name[1]) {
        case (UInt8(ascii: "c"), 0):
            column = attributes.value("r").flatMap(Self.columnIndex) ?? column
            type = Self.cellType(attributes.value("t"))
            style = attributes.integer("s") ?? 0
        case (UInt8(ascii: "v"), 0):
            if !inInline { beginValue() }
        case (UInt8(ascii: "t"), 0):
            if inInline && phoneticDepth == 0 { capturing = true }
        case (UInt8(ascii: "i"), UInt8(ascii: "s")) where name[2] == 0:
            inInline = true
            beginValue()
            capturing = false
        case (UInt8(ascii: "r"), UInt8(ascii: "o")) where XLSXAttributes.equal(name, "row"):
            rowNumber = attributes.integer("r") ?? rowNumber + 1
            rowOpen = true
            values.removeAll()
            column = 0
            filledBytes = 0
            filledValues = 0
        case (UInt8(ascii: "r"), UInt8(ascii: "P")) where XLSXAttributes.equal(name, "rPh"):
            phoneticDepth += 1
        default:
            break
        }
    }

    func endElement(_ name: UnsafePointer<UInt8>) {
        switch (name[0], name[1]) {
        case (UInt8(ascii: "v"), 0):
            if !inInline { endValue() }
        case (UInt8(ascii: "t"), 0):
            if inInline { capturing = false }
        case (UInt8(ascii: "i"), UInt8(ascii: "s")) where name[2] == 0:
            inInline = false
            endValue()
        case (UInt8(ascii: "c"), 0):
            column += 1
        case (UInt8(ascii: "r"), UInt8(ascii: "o")) where XLSXAttributes.equal(name, "row"):
            finishRow()
        case (UInt8(ascii: "r"), UInt8(ascii: "P")) where XLSXAttributes.equal(name, "rPh"):
            phoneticDepth -= 1
        default:
            break
        }
    }

    func characters(_ text: UnsafeBufferPointer<UInt8>) {
        if capturing { values.utf8.append(text) }
    }

    /// Pads the row with empty values up to the cell's column and starts its value.
    private func beginValue() {
        guard rowOpen else { return }
        while values.ends.count < column {
            _ = values.begin()
            values.end()
        }
        // A second value for the same column (a malformed sheet) replaces nothing: it is dropped.
        guard values.ends.count == column else { return }
        cellStart = values.begin()
        capturing = true
        valueOpen = true
    }

    /// Ends the cell's value, converting its stored text to what the user sees.
    private func endValue() {
        guard valueOpen else { return }
        valueOpen = false
        capturing = false
        let raw = values.bytes(from: cellStart)
        switch type {
        case .shared:
            let index = Int(String(decoding: raw, as: UTF8.self)) ?? -1
            values.utf8.truncate(to: cellStart)
            do throws(ReaderError) {
                if try strings?.append(index, to: values) != true { note("cell \(Self.columnName(column))\(rowNumber) names shared string \(index), which the workbook does not have") }
            } catch {
                failure = failure ?? error
            }
        case .boolean:
            values.replace(from: cellStart, with: raw.first == UInt8(ascii: "1") ? "TRUE" : "FALSE")
        case .number:
            if style < dateStyles.count && dateStyles[style], let date = XLSXCellValue.date(serial: raw, uses1904: uses1904) {
                values.replace(from: cellStart, with: date)
            } else if let digits = XLSXCellValue.plainInteger(raw) {
                values.replace(from: cellStart, with: digits)
            } else if let shown = XLSXCellValue.shown(raw) {
                values.replace(from: cellStart, with: shown)
            }
        case .inline, .formulaText, .error, .isoDate:
            break
        }
        values.end()
        if values.utf8.count > cellStart {
            filledBytes = values.utf8.count
            filledValues = values.ends.count
        }
    }

    private func note(_ text: String) { if !rowNotes.contains(text) { rowNotes.append(text) } }

    /// Ends the row: held while the header is being found, else used (``use(row:notes:)``).
    private func finishRow() {
        guard rowOpen else { return }
        rowOpen = false
        capturing = false
        valueOpen = false
        defer { rowNotes.removeAll() }
        guard filledValues > 0 else { return }
        values.utf8.truncate(to: filledBytes)
        values.ends.truncate(to: filledValues)
        guard !detecting else {
            // How many values are not empty, for the header's rule: counted only while it is being found.
            var named = 0
            var start = 0
            for index in 0..<values.ends.count {
                let end = values.ends.buffer[index]
                if end > start { named += 1 }
                start = end + 1
            }
            heldRows.append(
                HeldRow(number: rowNumber, utf8: Array(values.utf8.buffer), ends: Array(values.ends.buffer), notes: rowNotes, named: named))
            if heldRows.count == TablePreamble.linesLooked { findHeader() }
            return
        }
        use(row: rowNumber, notes: rowNotes)
    }

    /// Finds the header among the held rows (the first, unless a preamble comes before the table), then
    /// uses them in order.
    private func findHeader() {
        detecting = false
        let lines = heldRows.map { TablePreamble.Line(line: $0.number, fields: $0.ends.count, named: $0.named) }
        if let table = TablePreamble.table(in: lines, shorterRows: true) {
            header = .line(table.header)
            preambleNotice = TablePreamble.notice(table, unit: "row")
        } else {
            header = .line(heldRows.first?.number ?? 1)
        }
        let rows = heldRows
        heldRows = []
        for row in rows {
            values.removeAll()
            row.utf8.withUnsafeBufferPointer { values.utf8.append($0) }
            for end in row.ends { values.ends.append(end) }
            use(row: row.number, notes: row.notes)
        }
    }

    /// The end of the sheet: the header is found if it still was being, and one-value rows held at the
    /// end are a footer or records after all (``TableFooter``).
    func endOfSheet() {
        guard !ended else { return }
        ended = true
        if detecting { findHeader() }
        footer.finish(unit: "row")
        while let due = footer.nextDue() { ready.append(due) }
    }

    /// Uses the row now in `values`: the header's names, or a record (padded to the header's width).
    private func use(row: Int, notes: [String]) {
        defer { lastRow = row }
        if headerPending {
            if case .line(let line) = header, row < line { return }
            headerPending = false
            var start = 0
            for index in 0..<values.ends.count {
                let end = values.ends.buffer[index]
                let name = String(decoding: UnsafeBufferPointer(rebasing: values.utf8.buffer[start..<end]), as: UTF8.self).trimmingWhitespace()
                headers.append(name.isEmpty ? "column\(index + 1)" : name)
                start = end + 1
            }
            headerShape = RecordShape(file: label, names: headers)
            return
        }
        ordinal += 1
        guard ordinal > skipping else { return }
        let filled = values.ends.count
        while values.ends.count < headers.count {
            _ = values.begin()
            values.end()
        }
        let record = SourceRecord(
            ordinal: ordinal, shape: shape(count: values.ends.count), line: row, byteOffset: 0, utf8: values.utf8.buffer,
            ends: values.ends.buffer, notes: notes)
        // One value, in the first column: a report's footer row (a contact's row with one value elsewhere is
        // none). A row's last value is never empty, so a row of one value has it in the first column.
        let oneValue = filled == 1 && headers.count >= 2
        let gapBefore = row > lastRow + 1
        if let out = footer.pass(.record(record), oneValue: oneValue, gapBefore: gapBefore, line: row, text: record.value(at: 0)) {
            ready.append(out)
            while let due = footer.nextDue() { ready.append(due) }
        }
    }

    /// The shape of a record with `count` values: the header's, or one whose extra columns are named
    /// `columnN`.
    private func shape(count: Int) -> RecordShape {
        if count == headers.count { return headerShape }
        if let generatedShape, generatedShape.names.count == count { return generatedShape }
        let shape = RecordShape(file: label, names: (0..<count).map { $0 < headers.count ? headers[$0] : "column\($0 + 1)" })
        generatedShape = shape
        return shape
    }

    private static func cellType(_ value: UnsafeBufferPointer<UInt8>?) -> CellType {
        guard let value, let first = value.first else { return .number }
        switch first {
        case UInt8(ascii: "s"): return value.count == 1 ? .shared : .formulaText
        case UInt8(ascii: "i"): return .inline
        case UInt8(ascii: "b"): return .boolean
        case UInt8(ascii: "e"): return .error
        case UInt8(ascii: "d"): return .isoDate
        default: return .number
        }
    }

    /// The 0-based column of a reference like `AB12`; nil when it has no letters.
    static func columnIndex(_ reference: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        var letters = 0
        for byte in reference {
            let upper = byte & 0xDF
            guard upper >= UInt8(ascii: "A") && upper <= UInt8(ascii: "Z") else { break }
            index = index * 26 + Int(upper - UInt8(ascii: "A")) + 1
            letters += 1
            if letters > 3 { return nil }
        }
        return letters == 0 ? nil : index - 1
    }

    /// The letters of a 0-based column (`AB`).
    static func columnName(_ index: Int) -> String {
        var name: [Character] = []
        var rest = index + 1
        while rest > 0 {
            let digit = (rest - 1) % 26
            name.insert(Character(Unicode.Scalar(UInt8(65 + digit))), at: 0)
            rest = (rest - 1) / 26
        }
        return String(name)
    }
}
