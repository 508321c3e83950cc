import Foundation

/// Writes a plan's report in a folder, entry by entry: for a dry run `plan.jsonl`, `plan.csv` and
/// `report.html`; after a run (whose `results.jsonl` is written as windows commit) `results.csv` and
/// `report.html`; and `summary.json` at the end.
public final class PlanReportWriter {
    private let folder: URL
    private let jsonl: BufferedWriter?
    private let csv: PartedCSVFile
    private let html: HTMLReportWriter
    private let mode: String
    private let partial: String
    private let redactor: Redactor?
    /// The counts so far.
    public private(set) var summary = PlanSummary()

    /// Creates the folder if needed (readable by its owner only) and opens the files; `title` heads
    /// `report.html` (default "Import plan" or "Import report").
    public init(folder: String, dryRun: Bool = true, title: String? = nil, options: ReportOptions = ReportOptions()) throws {
        self.folder = URL(fileURLWithPath: folder)
        try FileManager.default.createDirectory(at: self.folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let stem = dryRun ? "plan" : "results"
        // A run writes its report while it goes, under `.partial` names that ``finish()`` renames: a run
        // that stopped leaves no report that looks finished.
        partial = dryRun ? "" : ".partial"
        jsonl = dryRun ? try BufferedWriter(path: self.folder.appending(path: "plan.jsonl").path) : nil
        csv = try PartedCSVFile(folder: self.folder, stem: stem, header: PlanEntry.csvHeader, rowsPerPart: options.rowsPerPart, suffix: partial)
        mode = dryRun ? "dry-run" : "run"
        redactor = options.redactor
        html = try HTMLReportWriter(
            path: self.folder.appending(path: "report.html" + partial).path, title: title ?? (dryRun ? "Import plan" : "Import report"), options: options)
    }

    /// Notes the properties the run creates.
    public func propertiesToCreate(_ names: [String]) { summary.propertiesToCreate = names }

    /// Notes the options the run adds to choice lists, by property name.
    public func optionsAdded(_ options: [String: [String]]) { summary.addOptions(options) }

    /// Notes the requests the plan needs (and a run sent).
    public func noteSizing(_ sizing: RunSizing) { summary.sizing = sizing }

    /// Notes the mapping's source fields that no record had.
    public func noteUnmatchedSources(_ names: [String]) { summary.unmatchedSources = names }
    /// Notes what the readers noticed about the inputs.
    public func noteInputNotices(_ notices: [String]) { summary.inputNotices = notices }

    /// Appends one entry to every file.
    public func append(_ entry: PlanEntry) throws {
        summary.add(entry)
        try jsonl?.write { bytes in
            entry.appendJSON(to: &bytes)
            bytes.append(0x0A)
        }
        // Masked once for the files that are shared; plan.jsonl keeps the values.
        let shown = redactor?.redact(entry) ?? entry
        try csv.append { shown.appendCSVRow(to: &$0) }
        try html.append(shown)
    }

    /// Flushes the files and writes `summary.json`.
    public func finish() throws {
        try jsonl?.flush()
        var fullList = csv.parts
        if jsonl != nil { fullList.append("plan.jsonl") } else { fullList.append("results.jsonl") }
        try html.finish(summary: summary, mode: mode, fullList: fullList)
        try csv.finish()
        if !partial.isEmpty {
            let final = folder.appending(path: "report.html").path
            _ = try? FileManager.default.removeItem(atPath: final)
            try FileManager.default.moveItem(atPath: final + partial, toPath: final)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let summaryFile = try BufferedWriter(path: folder.appending(path: "summary.json").path)
        try summaryFile.write(bytes: try encoder.encode(summary))
        try summaryFile.flush()
    }
}
