/// What a report folder holds and shows; every member has a documented default.
public struct ReportOptions: Sendable, Hashable {
    /// List the unchanged records in `report.html` too (`--report-unchanged`). Default false: they are
    /// counted, and listed in the CSV and JSON Lines files.
    public var listUnchanged = false
    /// The rows `report.html` lists at most (`--report-rows`); past it the page says what it left out and
    /// where the full list is. Default 100,000 (about 45 MB of page).
    public var rowBudget = 100_000
    /// The bytes of rows `report.html` embeds at most, whatever the row budget: records with many
    /// properties or long reasons still make a page a browser opens. Default 50,000,000.
    public var pageBytes = 50_000_000
    /// Rows per part of `plan.csv` and `results.csv` (`plan.csv`, `plan-2.csv`, …), each part with the
    /// header. Default 1,000,000, under the 1,048,576 rows a spreadsheet opens.
    public var rowsPerPart = 1_000_000
    /// Mask names, phones and e-mails in `report.html` and the CSV files (`--redact`). Default false.
    public var redact = false

    public init(listUnchanged: Bool = false, rowBudget: Int = 100_000, rowsPerPart: Int = 1_000_000, redact: Bool = false) {
        self.listUnchanged = listUnchanged
        self.rowBudget = max(0, rowBudget)
        self.rowsPerPart = max(1, rowsPerPart)
        self.redact = redact
    }

    /// The redactor, when `redact`.
    var redactor: Redactor? { redact ? Redactor() : nil }
}
