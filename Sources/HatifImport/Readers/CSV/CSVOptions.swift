/// How to read a CSV file; every member has a documented default.
public struct CSVOptions: Sendable, Equatable {
    /// Where the header row is.
    public enum Header: Sendable, Equatable {
        /// No header: fields are named `column1`, `column2`, …
        case none
        /// The record starting on this physical line (1-based) is the header; lines before it are skipped.
        case line(Int)
        /// The first line, unless the file opens with lines of fewer fields than its table (a title or notes,
        /// as LinkedIn's `Connections.csv` has): then the table's first line, and the lines before it are
        /// named in a notice.
        case detected
    }

    /// The field separator; nil sniffs among `,` `;` TAB `|`. Default nil.
    public var delimiter: UInt8?
    /// The header row. Default `.detected`.
    public var header: Header
    /// The encoding; nil detects it (BOM, else UTF-8 if valid, else Windows-1252). Default nil.
    public var encoding: TextEncoding?
    /// Longest field kept, in bytes; a longer one makes its record a reject. Default 1 MiB.
    public var maxFieldBytes: Int
    /// Most fields in a record; more makes it a reject. Default 10,000.
    public var maxFields: Int

    /// Creates options; every parameter has the documented default.
    public init(
        delimiter: UInt8? = nil, header: Header = .detected, encoding: TextEncoding? = nil, maxFieldBytes: Int = 1 << 20,
        maxFields: Int = 10_000
    ) {
        self.delimiter = delimiter
        self.header = header
        self.encoding = encoding
        self.maxFieldBytes = maxFieldBytes
        self.maxFields = maxFields
    }
}
