import Foundation

/// The run state: run history, each run's checkpoint and results journal, the source index and the
/// workspace lock, in SQLite (``SQLiteStateStore``) or PostgreSQL (``PostgresStateStore``).
///
/// A store belongs to one task at a time; its lock, when taken, lasts until ``close()`` or the end of the
/// process, whichever comes first.
public protocol StateStore: AnyObject, Sendable {
    /// Where it is, as a user may see it (no password).
    var location: String { get }

    /// Takes the workspace's lock for a writing run, or throws ``StateError/locked(workspace:holder:)``
    /// naming the run that holds it. Runs the lock's holder left `running` when killed become
    /// `interrupted`.
    func lockWorkspace(_ workspace: String) async throws

    /// The newest run of this workspace and source that did not finish and was not abandoned.
    func unfinishedRun(workspace: String, source: String) async throws -> RunRecord?
    /// The newest finished import of this workspace and source.
    func lastFinishedRun(workspace: String, source: String) async throws -> RunRecord?
    /// Records a new run; returns its id.
    func beginRun(_ run: RunRecord) async throws -> Int64
    /// Marks an unfinished run running again, in this process.
    func resumeRun(_ id: Int64, host: String, pid: Int32) async throws
    /// Marks an unfinished run abandoned (`--restart`).
    func abandonRun(_ id: Int64) async throws
    /// Saves where a run stands (the records in flight).
    func saveCheckpoint(_ checkpoint: Checkpoint, run: Int64) async throws
    /// Commits a window in one transaction: its journal entries, its changes to the source index of
    /// `workspace` and `source`, and the checkpoint that counts them.
    func commit(run: Int64, workspace: String, source: String, entries: [JournalEntry], index: IndexChanges, checkpoint: Checkpoint)
        async throws
    /// Records how a run ended.
    func endRun(_ id: Int64, status: RunRecord.Status, summary: PlanSummary, exitCode: Int32?) async throws

    /// Runs, newest first.
    func runs(limit: Int) async throws -> [RunRecord]
    /// One run.
    func run(_ id: Int64) async throws -> RunRecord?
    /// Up to `limit` entries of a run's journal that follow `after` (nil: from the start), in input order.
    func journalPage(run: Int64, after: RecordID?, limit: Int) async throws -> [JournalEntry]
    /// Of `contacts`, those the run's journal names (contacts its records already own).
    func journaledContacts(run: Int64, among contacts: Set<String>) async throws -> Set<String>
    /// The source index entries of these keys.
    func indexEntries(workspace: String, source: String, keys: [String]) async throws -> [String: SourceIndexEntry]
    /// Finished runs of this source since its last run that looked every record up; nil when none did.
    func runsSinceFullLookup(workspace: String, source: String) async throws -> Int?

    /// The journal entries of `run` that name one of `contacts`, in input order.
    func journalEntries(run: Int64, contacts: [String]) async throws -> [JournalEntry]
    /// The contacts that more than one entry of `run` wrote (created, updated, deleted).
    func contactsWrittenTwice(run: Int64) async throws -> Set<String>
    /// The newest undo of `run`, whatever its status.
    func undo(of run: Int64) async throws -> RunRecord?
    /// Counts for `--on-missing`: the contacts the source's index knows, those that no entry seen by `run`
    /// names (missing), and of those the ones not flagged already.
    func missingCounts(workspace: String, source: String, run: Int64) async throws -> (known: Int, missing: Int, newlyMissing: Int)
    /// Up to `limit` missing contacts (see ``missingCounts(workspace:source:run:)``) after `after`, by contact id.
    func missingContacts(workspace: String, source: String, run: Int64, after: String?, limit: Int) async throws -> [MissingContact]
    /// Up to `limit` entries of the source's index after the key `after`, by key (an `--on-missing` dry run).
    func indexPage(workspace: String, source: String, after: String?, limit: Int) async throws -> [SourceIndexEntry]

    /// Releases the lock and the connection.
    func close() async
}

extension StateStore {
    /// Whether a new run of this source looks every record up: any run that is not incremental, and an
    /// incremental one on `verify`, before the source has a finished run that did, or once `verifyEvery`
    /// runs (this one counted) have passed since the last that did.
    public func fullLookupDue(workspace: String, source: String, incremental: Bool, verify: Bool, verifyEvery: Int) async throws -> Bool {
        guard incremental, !verify else { return true }
        guard let since = try await runsSinceFullLookup(workspace: workspace, source: source) else { return true }
        return since >= max(1, verifyEvery) - 1
    }

    /// A run's journal in input order, `pageSize` entries at a time.
    public func forEachJournalPage(run: Int64, pageSize: Int, _ body: ([JournalEntry]) throws -> Void) async throws {
        var after: RecordID?
        while true {
            let page = try await journalPage(run: run, after: after, limit: pageSize)
            guard let last = page.last else { return }
            try body(page)
            after = last.id
        }
    }
}
