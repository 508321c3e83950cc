/// Where a table starts when a CSV file or a sheet opens with lines of fewer fields: a title or notes
/// (LinkedIn's `Connections.csv` opens with two lines of notes), a report's name, date and filters (a
/// Salesforce formatted report).
///
/// Told from the first 50 lines with a value: the header is the first line, among the first ten, whose
/// count of fields nine in ten of the lines from it on share (at least two fields, at least two lines
/// after it, and most of its own fields named), when every line before it has at most half as many.
/// Lines at the end with at most half as many (a footer, ``TableFooter``) are left out of that count. A
/// table whose first line has as many fields as any later line never has a preamble, so the common file
/// is read as before.
enum TablePreamble {
    /// How many lines with a value the rule looks at.
    static let linesLooked = 50

    /// One line with a value: where it is, its count of fields, and how many of them hold a value.
    struct Line: Sendable {
        var line: Int
        var fields: Int
        var named: Int
    }

    /// The table found after a preamble.
    struct Table: Sendable, Equatable {
        /// The header's line.
        var header: Int
        /// The lines before it that were skipped (from the first with a value).
        var preamble: ClosedRange<Int>
        /// The header's count of fields.
        var fields: Int
    }

    /// The table after a preamble among `lines` (the first lines with a value, in order), or nil when
    /// the first line is the header. `shorterRows`: a row may have fewer fields than the header without
    /// being another shape (a sheet's rows end at their last value; a CSV file's rows are all as wide).
    static func table(in lines: [Line], shorterRows: Bool) -> Table? {
        guard lines.count >= 4, let widest = lines.dropFirst().map(\.fields).max(), lines[0].fields < widest else { return nil }
        for start in 1..<min(11, lines.count - 2) {
            let fields = lines[start].fields
            // At most half as many: a header one field short of rows that each end in a delimiter is no preamble.
            guard fields >= 2, lines[..<start].allSatisfy({ $0.fields <= fields / 2 }) else { continue }
            var table = lines[start...]
            while let last = table.last, table.count > 1, last.fields <= fields / 2 { table.removeLast() }
            let sharing = table.filter { shorterRows ? $0.fields <= fields : $0.fields == fields }.count
            guard table.count >= 3, sharing * 10 >= table.count * 9, lines[start].named * 2 >= fields else { continue }
            return Table(header: lines[start].line, preamble: lines[0].line...lines[start - 1].line, fields: fields)
        }
        return nil
    }

    /// What the user is told about `table`: which lines (`unit`: line or row) were skipped and how to
    /// read the first as the header instead.
    static func notice(_ table: Table, unit: String) -> String {
        let lines = table.preamble.count == 1 ? "\(unit) \(table.preamble.lowerBound) comes" : "\(unit)s \(table.preamble.lowerBound)–\(table.preamble.upperBound) come"
        return "\(lines) before the table (a title or notes, with at most half its \(table.fields) columns) and \(table.preamble.count == 1 ? "is" : "are") skipped; "
            + "the header is \(unit) \(table.header) (--header-line 1 reads \(unit) 1 as the header)"
    }
}
