/// Turns a sheet's SAX events into rows: each cell's text straight into the row's values (gaps in the
/// `r=` references become empty values), shared strings looked up, numbers and dates made readable
/// (``XLSXCellValue``). Finished rows wait for the reader (``take()``).
final class XLSXSheetCollector: XLSXPartHandler {
    /// A finished row: its number in the sheet, and its values from column A on, trailing empty ones dropped.
    struct Row {
        var number: Int
        var values: [String]
        /// What was odd about it (a missing shared string).
        var notes: [String]
    }

    private enum CellType { case number, shared, inline, formulaText, boolean, error, isoDate }

    private let strings: XLSXSharedStrings?
    private let dateStyles: [Bool]
    private let uses1904: Bool
    private let values = RecordValues()
    private var rows: [Row] = []
    private var rowsStart = 0
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

    init(strings: XLSXSharedStrings?, dateStyles: [Bool], uses1904: Bool) {
        self.strings = strings
        self.dateStyles = dateStyles
        self.uses1904 = uses1904
    }

    /// The next finished row, if one is waiting.
    func take() -> Row? {
        guard rowsStart < rows.count else {
            if !rows.isEmpty {
                rows.removeAll(keepingCapacity: true)
                rowsStart = 0
            }
            return nil
        }
        defer { rowsStart += 1 }
        return rows[rowsStart]
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
            }
        case .inline, .formulaText, .error, .isoDate:
            break
        }
        values.end()
    }

    private func note(_ text: String) { if !rowNotes.contains(text) { rowNotes.append(text) } }

    private func finishRow() {
        guard rowOpen else { return }
        rowOpen = false
        capturing = false
        valueOpen = false
        var strings: [String] = []
        strings.reserveCapacity(values.ends.count)
        var start = 0
        for index in 0..<values.ends.count {
            let end = values.ends.buffer[index]
            strings.append(String(decoding: UnsafeBufferPointer(rebasing: values.utf8.buffer[start..<end]), as: UTF8.self))
            start = end + 1
        }
        while strings.last?.isEmpty == true { strings.removeLast() }
        if !strings.isEmpty { rows.append(Row(number: rowNumber, values: strings, notes: rowNotes)) }
        rowNotes.removeAll()
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
