import Foundation
import HatifAPI
import ServiceLifecycle

/// `hatif-import undo RUN`: takes back what an import run did, from its journal: deletes the contacts it
/// created, puts back the values it overwrote (emptying what was empty), and creates again the contacts
/// it deleted; a contact someone changed since is a conflict and kept, unless `force`.
///
/// An undo is a run of its own: it takes the workspace lock, commits each window to its journal, resumes
/// where it stopped when run again (a window in flight is planned again against what the workspace holds,
/// so nothing is done twice), and is recorded in the run history as `undo` of the run.
public struct Undo: Sendable {
    /// How an undo is set up.
    public struct Configuration: Sendable {
        /// The run to undo.
        public var run: Int64
        /// Where the runs keep their state.
        public var state: StateLocation
        /// Undo contacts changed since the run wrote them too. Default false.
        public var force = false
        /// Journal entries planned together (a window). Default 2,000.
        public var windowSize = 2_000
        /// Requests in flight at most. Default 4.
        public var concurrency = 4
        /// The exit code the run history records. Default: 0 when every contact was undone, 1 when some
        /// were kept (conflicts) or failed, 3 after an error.
        public var exitCode: @Sendable (PlanSummary?, (any Error)?) -> Int32 = Pipeline.Configuration.defaultExitCode

        public init(run: Int64, state: StateLocation, force: Bool = false) {
            self.run = run
            self.state = state
            self.force = force
        }
    }

    private let configuration: Configuration
    private let client: HatifClient

    public init(configuration: Configuration, client: HatifClient) {
        self.configuration = configuration
        self.client = client
    }

    /// The run history's source name of an undo of `run`.
    static func source(undoing run: Int64) -> String { "undo of run \(run)" }

    /// The plan, written to `report` (old → new per field, as an import's dry run): no write, no lock.
    public func dryRun(report: PlanReportWriter) async throws -> PlanSummary {
        try await configuration.state.withStore { store in
            let target = try await checkedTarget(store)
            let planner = try await UndoPlanner.make(client: client, store: store, target: target, force: configuration.force)
            var after: RecordID?
            while let window = try await planner.nextWindow(after: after, limit: configuration.windowSize) {
                for record in window.plan.records { try report.append(record.entry(files: planner.files)) }
                after = window.last
            }
            try report.finish()
            return report.summary
        }
    }

    /// The undo: writes `results.jsonl`, `rejects.csv`, `report.html`, `results.csv` and `summary.json` in
    /// `outputFolder` as an import does. Stops cleanly on graceful shutdown or `shouldStop`
    /// (``RunError/interrupted(run:committed:)``); the same command resumes it.
    public func run(
        outputFolder: String, shouldStop: @escaping @Sendable () -> Bool = { false }, runStarted: @Sendable (Int64) -> Void = { _ in }
    ) async throws -> PlanSummary {
        try await configuration.state.withStore { store in
            let target = try await checkedTarget(store)
            var journal = try await RunJournal.open(
                store: store,
                .init(
                    workspace: client.workspace, source: Self.source(undoing: target.id), inputs: [],
                    mapping: InputFingerprint(
                        path: "undo", size: 0, modified: Date(timeIntervalSinceReferenceDate: 0), sha256: "undo of run \(target.id)"),
                    files: target.inputs.map(\.path), outputFolder: outputFolder, restart: false, incremental: false, verify: false,
                    verifyEvery: 1, kind: .undo, undoes: target.id, indexSource: target.source))
            runStarted(journal.runID)
            let summary = try await journal.carryOut(shouldStop: shouldStop, exitCode: configuration.exitCode) { journal, stop in
                try await undo(target, journal: &journal, store: store, stop: stop)
            }
            // An unfinished run that is undone is not to be resumed.
            if target.status != .finished { try await store.abandonRun(target.id) }
            return summary
        }
    }

    private func undo(_ target: RunRecord, journal: inout RunJournal, store: any StateStore, stop: StopRequest) async throws -> PlanSummary {
        let planner = try await UndoPlanner.make(client: client, store: store, target: target, force: configuration.force)
        let pusher = WindowPusher(
            client: client, creator: BulkCreator(client: client, batchSize: 500, maxBytes: 5 << 20, maxUnknownOutcomes: 5),
            concurrency: configuration.concurrency, shouldStop: { stop.isRequested },
            propertyIDs: Dictionary(try await client.allContactProperties().map { ($0.name, $0.id) }, uniquingKeysWith: { first, _ in first }))
        let claims = ContactClaims()
        var after = Self.entry(before: journal.checkpoint.next)
        while let window = try await planner.nextWindow(after: after, limit: configuration.windowSize, inFlight: journal.resumedInFlight) {
            let (plan, last) = window
            try await journal.markInFlight(plan)
            guard let pushed = try await pusher.push(plan, claims: claims) else {
                throw RunError.interrupted(run: journal.runID, committed: journal.checkpoint.summary)
            }
            try await journal.commit(plan, pushed: pushed, next: Self.position(after: last))
            try journal.writeReport()
            after = last
            if stop.isRequested { throw RunError.interrupted(run: journal.runID, committed: journal.checkpoint.summary) }
        }
        // The contacts are as before the run, not as the source index remembers them: every record of the
        // source is looked up again on its next incremental run.
        try await journal.commit(
            WindowPlan(records: []), pushed: .init(outcomes: [], written: []), next: journal.checkpoint.next, index: IndexChanges(distrustAll: true))
        return try journal.finish()
    }

    /// The run to undo, once it is known to be one that can be.
    private func checkedTarget(_ store: any StateStore) async throws -> RunRecord {
        guard let target = try await store.run(configuration.run) else { throw StateError.noSuchRun(configuration.run) }
        if target.kind == .undo { throw UndoError.undoOfUndo(run: target.id, undoes: target.undoes) }
        guard target.workspace == client.workspace else {
            throw UndoError.otherWorkspace(run: target.id, workspace: target.workspace, current: client.workspace)
        }
        // An undo that left conflicts may be run again (after mending them, or with --force).
        if let earlier = try await store.undo(of: target.id), earlier.status == .finished, earlier.exitCode == 0 {
            throw UndoError.alreadyUndone(run: target.id, by: earlier.id)
        }
        return target
    }

    /// The checkpoint's position after a journal entry (an undo reads the journal, not a file).
    static func position(after id: RecordID) -> RunPosition {
        RunPosition(fileIndex: id.fileIndex, position: ReadPosition(byteOffset: 0, line: 0, ordinal: id.ordinal))
    }

    /// The journal entry a checkpoint's position follows; nil at the start.
    static func entry(before position: RunPosition) -> RecordID? {
        position.position.map { RecordID(fileIndex: position.fileIndex, ordinal: $0.ordinal) }
    }
}
