/// The file formats `sample` writes and the readers read.
public enum SampleFormat: String, Sendable, CaseIterable {
    case csv, vcf, xml, xlsx
}

/// The column layout of a sample CSV.
public enum SampleDialect: String, Sendable, CaseIterable {
    /// Google Contacts export (34 columns, CRLF).
    case google
    /// Outlook export (59 columns, CRLF).
    case outlook
    /// A simple snake_case export (15 columns, LF).
    case plain
}
