import Foundation
import HatifAPI
import HatifImport

/// The one JSON object `import --output json` prints on standard output when a dry run or run ends, for
/// schedulers and scripts. Its members are documented in the README ("Machine summary").
struct RunSummary: Encodable {
    /// `dry-run`, `run`, `undo-dry-run` or `undo`.
    var mode: String
    /// Records read.
    var records: Int
    /// A dry run: records by planned action (`create`, `update`, `unchanged`, `merged`, `conflict`, `reject`).
    var actions: [String: Int]?
    /// A run: records by outcome (`created`, `updated`, `unchanged`, `merged`, `conflict`, `rejected`, `failed`).
    var outcomes: [String: Int]?
    /// Properties created (a dry run: to create).
    var propertiesCreated: [String]
    /// Options added to choice lists, by property (a dry run: to add).
    var optionsAdded: [String: [String]]
    /// Records whose phone was kept although the phone metadata does not know it.
    var phonesKept: Int
    /// `--on-missing`: contacts gone from the source that were flagged and deleted (a dry run: would be).
    var missingFlagged: Int
    var missingDeleted: Int
    /// API requests sent, every attempt, by operation id, and their total.
    var requests: [String: Int]
    var requestsTotal: Int
    /// The requests the plan needs by kind and the time they take at the run's pace; after a run, beside the
    /// requests it sent (first attempts; retries and recovery requests apart).
    var sizing: RunSizing?
    /// Wall time of the command, in seconds.
    var wallSeconds: Double
    /// The exit code and its name (`success`, `records-rejected`, `interrupted`, …).
    var exitCode: Int32
    var exitStatus: String
    /// Why the command stopped, when it did not finish.
    var error: String?
    /// The report folder; the run's id and its state (no password), for a run.
    var reportFolder: String
    var run: Int64?
    var state: String?

    init(
        mode: String, summary: PlanSummary, requests: [String: Int], elapsed: Duration, status: ExitStatus, error: String?,
        reportFolder: String, run: Int64?, state: String?
    ) {
        self.mode = mode
        records = summary.records
        (actions, outcomes) = Self.counts(summary, mode: mode)
        propertiesCreated = summary.propertiesToCreate
        optionsAdded = summary.optionsAdded
        phonesKept = summary.phonesKept
        sizing = summary.sizing
        missingFlagged = summary.missingFlagged
        missingDeleted = summary.missingDeleted
        self.requests = requests
        requestsTotal = requests.values.reduce(0, +)
        wallSeconds = (elapsed.seconds * 1000).rounded() / 1000
        exitCode = status.rawValue
        exitStatus = status.name
        self.error = error
        self.reportFolder = reportFolder
        self.run = run
        self.state = state
    }

    /// A dry run's records by planned action, or a run's by outcome (the other is nil).
    static func counts(_ summary: PlanSummary, mode: String) -> (actions: [String: Int]?, outcomes: [String: Int]?) {
        let counts: [(String, String, Int)] = [
            ("create", "created", summary.create), ("update", "updated", summary.update), ("unchanged", "unchanged", summary.unchanged),
            ("merged", "merged", summary.merged), ("conflict", "conflict", summary.conflict), ("reject", "rejected", summary.reject),
        ] + (mode.hasPrefix("undo") ? [("delete", "deleted", summary.delete)] : [])
        if mode.hasSuffix("dry-run") {
            return (Dictionary(uniqueKeysWithValues: counts.map { ($0.0, $0.2) }), nil)
        }
        return (nil, Dictionary(uniqueKeysWithValues: counts.map { ($0.1, $0.2) } + [("failed", summary.failed)]))
    }

    /// The object on one line, keys sorted.
    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
