import Foundation
import HatifAPI
import ServiceLifecycle

/// A run's memory: its row in the run state (the checkpoint, the results journal, the source index),
/// `results.jsonl` and `rejects.csv` in the report folder, and the typed counts.
///
/// A window goes through it twice: ``markInFlight(_:)`` names the records about to be written before the
/// first request, and ``commit(_:outcomes:next:)`` writes their results and rejects, syncs both, and then
/// commits, in one transaction of the state, their journal entries, their source index entries and the
/// checkpoint that counts them and names where reading resumes. A crash between the two leaves the
/// records in flight for the resumed run to reconcile; a crash anywhere leaves files the checkpoint can
/// cut back to what it counted.
struct RunJournal {
    /// What the run has committed.
    private(set) var checkpoint: Checkpoint
    /// The run's id in the run state.
    let runID: Int64
    /// Whether this run looks every record up (not trusting the source index).
    let fullLookup: Bool
    /// The records an earlier, stopped run had in flight, and since when; empty for a new run.
    let resumedInFlight: Set<RecordID>
    /// Of those, the ones it was creating.
    let resumedCreates: Set<RecordID>
    let resumedInFlightSince: Date?
    /// The run's input files (reports name a merged record's twin by its file).
    let files: [String]
    /// `results.jsonl`.
    let resultsPath: String
    let store: any StateStore
    let workspace: String
    let source: String
    /// The source whose index the run's windows change (an undo's is that of the run it undoes).
    let indexSource: String
    private let results: ResultsFile
    private let rejects: RejectsFile
    /// `report.html` and `results.csv`, written as the run goes (see ``writeReport()``).
    private let report: PlanReportWriter
    /// Committed entries not yet in the report.
    private var unreported: [PlanEntry] = []

    /// What a new run is, before the journal opens it.
    struct Start {
        var workspace: String
        var source: String
        var inputs: [InputFingerprint]
        var mapping: InputFingerprint
        var files: [String]
        var outputFolder: String
        var restart: Bool
        var incremental: Bool
        /// `--verify`: look every record up this time.
        var verify: Bool
        /// Every how many runs of the source an incremental run looks every record up.
        var verifyEvery: Int
        /// An import, or an undo of `undoes`.
        var kind: RunRecord.Kind = .import
        var undoes: Int64?
        /// The source whose index the run changes; nil: `source`.
        var indexSource: String?
        /// What the report folder holds and shows.
        var report = ReportOptions()
    }

    /// Takes the workspace lock and resumes the source's unfinished run, unless `restart` (which
    /// abandons it) or there is none (a new run); checks that the inputs and mapping are the ones it
    /// started with, and opens the outputs cut back to what it counted (rebuilt from the journal when the
    /// report folder does not hold them, as on a new machine).
    static func open(store: any StateStore, _ start: Start) async throws -> RunJournal {
        try await store.lockWorkspace(start.workspace)
        var checkpoint = Checkpoint(inputs: start.inputs, mapping: start.mapping)
        var runID: Int64
        var fullLookup: Bool
        let unfinished = try await store.unfinishedRun(workspace: start.workspace, source: start.source)
        if let unfinished, !start.restart, let saved = unfinished.checkpoint {
            do {
                try saved.checkResumable(inputs: start.inputs, mapping: start.mapping)
            } catch .inputsChanged(let reason) {
                throw StateError.inputsChanged(run: unfinished.id, reason: reason)
            }
            checkpoint = saved
            runID = unfinished.id
            fullLookup = unfinished.fullLookup
            try await store.resumeRun(runID, host: ProcessInfo.processInfo.hostName, pid: ProcessInfo.processInfo.processIdentifier)
        } else {
            if let unfinished { try await store.abandonRun(unfinished.id) }
            fullLookup = try await store.fullLookupDue(
                workspace: start.workspace, source: start.source, incremental: start.incremental, verify: start.verify,
                verifyEvery: start.verifyEvery)
            var run = RunRecord(
                workspace: start.workspace, source: start.source, inputs: start.inputs, mapping: start.mapping.sha256,
                report: URL(fileURLWithPath: start.outputFolder).standardizedFileURL.path, incremental: start.incremental, fullLookup: fullLookup)
            run.checkpoint = checkpoint
            run.kind = start.kind
            run.undoes = start.undoes
            runID = try await store.beginRun(run)
        }
        try FileManager.default.createDirectory(atPath: start.outputFolder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let folder = URL(fileURLWithPath: start.outputFolder)
        let resultsPath = folder.appending(path: "results.jsonl").path
        let rejectsPath = folder.appending(path: "rejects.csv").path
        if checkpoint.resultsLength > 0, Self.length(resultsPath) < checkpoint.resultsLength || Self.length(rejectsPath) < checkpoint.rejectsLength {
            (checkpoint.resultsLength, checkpoint.rejectsLength) = try await Self.rebuild(
                resultsPath: resultsPath, rejectsPath: rejectsPath, run: runID, store: store, files: start.files)
        }
        let results = try ResultsFile(path: resultsPath, keeping: checkpoint.resultsLength)
        // The report starts with what earlier, stopped runs of this run committed.
        let report = try PlanReportWriter(folder: start.outputFolder, dryRun: false, options: start.report)
        if checkpoint.resultsLength > 0 { try ResultsFile.forEachEntry(in: resultsPath) { try report.append($0) } }
        return RunJournal(
            checkpoint: checkpoint, runID: runID, fullLookup: fullLookup, resumedInFlight: Set(checkpoint.inFlight), resumedCreates: Set(checkpoint.inFlightCreates ?? []),
            resumedInFlightSince: checkpoint.inFlightSince, files: start.files, resultsPath: resultsPath, store: store,
            workspace: start.workspace, source: start.source, indexSource: start.indexSource ?? start.source, results: results,
            rejects: try RejectsFile(path: rejectsPath, keeping: checkpoint.rejectsLength, redactor: start.report.redactor), report: report)
    }

    /// Runs `body` (the run's windows) until it ends, and records how the run ended. Graceful shutdown
    /// (the first SIGINT or SIGTERM) or `shouldStop` asks `body` to stop through its ``StopRequest``;
    /// cancellation and API failures become ``RunError``s that say what was committed. `exitCode` gives
    /// the code the history records, from the summary or the error.
    mutating func carryOut(
        shouldStop: @escaping @Sendable () -> Bool, exitCode: (PlanSummary?, (any Error)?) -> Int32,
        _ body: (inout RunJournal, StopRequest) async throws -> PlanSummary
    ) async throws -> PlanSummary {
        let stop = StopRequest(condition: shouldStop)
        do {
            let summary = try await withGracefulShutdownHandler {
                try await body(&self, stop)
            } onGracefulShutdown: {
                stop.request()
            }
            try await store.endRun(runID, status: .finished, summary: summary, exitCode: exitCode(summary, nil))
            return summary
        } catch {
            let stopped: any Error =
                switch error {
                case is CancellationError: RunError.interrupted(run: runID, committed: checkpoint.summary)
                case let api as HatifAPIError: RunError.apiFailed(api, run: runID, committed: checkpoint.summary)
                default: error
                }
            // Best effort: a run whose end is not recorded stays `running` until the next run takes the lock.
            try? await store.endRun(
                runID, status: stopped is RunError ? .interrupted : .failed, summary: checkpoint.summary, exitCode: exitCode(nil, stopped))
            throw stopped
        }
    }

    private static func length(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int64) ?? 0
    }

    /// Writes `results.jsonl` and `rejects.csv` anew from the run's journal; returns their lengths.
    /// A create's line lists no values and a reject's row no original fields: the journal keeps neither.
    private static func rebuild(resultsPath: String, rejectsPath: String, run: Int64, store: any StateStore, files: [String]) async throws
        -> (Int64, Int64)
    {
        let results = try ResultsFile(path: resultsPath, keeping: 0)
        let rejects = try RejectsFile(path: rejectsPath, keeping: 0)
        try await store.forEachJournalPage(run: run, pageSize: 10_000) { page in
            for journaled in page {
                let entry = journaled.planEntry(files: files)
                try results.append(entry)
                if entry.outcome == .rejected || entry.outcome == .failed {
                    let location = SourceLocation(file: entry.file, line: entry.line, byteOffset: 0)
                    try rejects.append(RecordReject(ordinal: entry.ordinal, location: location, reason: entry.reasons.first ?? "rejected"), record: nil)
                }
            }
        }
        return (try results.sync(), try rejects.sync())
    }

    /// Notes how far `--on-missing` went: the last contact it acted on, and how many in all (committed with
    /// the next window).
    mutating func noteMissing(after contact: String, done: Int) {
        checkpoint.missingAfter = contact
        checkpoint.missingDone = done
    }

    /// Notes the properties the run created and the options it added.
    mutating func noteProperties(created: [String], optionsAdded: [String: [String]]) {
        for name in created where !checkpoint.summary.propertiesToCreate.contains(name) { checkpoint.summary.propertiesToCreate.append(name) }
        checkpoint.summary.addOptions(optionsAdded)
    }

    /// Before the first write of `plan`: saves the checkpoint naming the records it writes (and those an
    /// earlier run left in flight, until their window commits).
    mutating func markInFlight(_ plan: WindowPlan) async throws {
        var ids: [RecordID] = []
        var creates: [RecordID] = []
        for record in plan.records {
            switch record.action {
            case .create:
                ids.append(record.id)
                creates.append(record.id)
            case .update, .delete:
                ids.append(record.id)
                // A create an earlier attempt made stays one until its window commits.
                if resumedCreates.contains(record.id) { creates.append(record.id) }
            default:
                if resumedInFlight.contains(record.id) { ids.append(record.id) }
                if resumedCreates.contains(record.id) { creates.append(record.id) }
            }
        }
        guard !ids.isEmpty else { return }
        checkpoint.inFlight = ids
        checkpoint.inFlightCreates = creates
        checkpoint.inFlightSince = Date()
        try await store.saveCheckpoint(checkpoint, run: runID)
    }

    /// Commits a pushed window: its results and rejects, synced, then, in one transaction, its journal
    /// and source index entries (and `index`) and the checkpoint that counts them and resumes at `next`.
    /// `before` holds what the contacts the window deletes held, for an undo to create them again.
    mutating func commit(
        _ plan: WindowPlan, pushed: WindowPusher.Pushed, next: RunPosition, index: IndexChanges = IndexChanges(),
        before: [RecordID: ContactSnapshot] = [:]
    ) async throws {
        var journaled: [JournalEntry] = []
        journaled.reserveCapacity(plan.records.count)
        var changes = index
        for (position, (record, outcome)) in zip(plan.records, pushed.outcomes).enumerated() {
            var entry = record.entry(files: files)
            entry.outcome = outcome.kind
            var written = pushed.written[position]
            if record.createdEarlier {
                // The run's stopped attempt created it; this attempt completed it (or found it complete).
                switch outcome {
                case .updated, .unchanged:
                    (entry.action, entry.outcome) = (.create, .created)
                    written = written ?? record.foundState
                default: break
                }
            }
            if let id = outcome.contactID, entry.contactIDs.isEmpty { entry.contactIDs = [id] }
            if case .failed(let reason, _) = outcome { entry.reasons.insert(reason, at: 0) }
            try results.append(entry)
            unreported.append(entry)
            checkpoint.summary.add(entry)
            journaled.append(
                JournalEntry(entry, id: record.id, contact: outcome.contactID, written: written, before: before[record.id]))
            switch (record.action, outcome) {
            case (.reject(let reject), _):
                try rejects.append(reject, record: record.source, excerpt: record.excerpt)
            case (_, .failed(let reason, _)):
                try rejects.append(
                    RecordReject(ordinal: record.id.ordinal, location: record.location, reason: "the API refused it: \(reason)"),
                    record: record.source)
            case (_, .created(let contact)), (_, .updated(let contact)), (_, .unchanged(let contact)):
                if let fingerprint = record.fingerprint {
                    changes.upserts.append(SourceIndexEntry(key: fingerprint.key, hash: fingerprint.hash, contact: contact, run: runID))
                }
            default: break
            }
            switch outcome {
            case .conflict, .failed, .merged:
                // Read, but not settled in a contact: its contact, if the index knows it, is not gone.
                if let fingerprint = record.fingerprint { changes.seen.append(fingerprint.key) }
            default: break
            }
        }
        checkpoint.resultsLength = try results.sync()
        checkpoint.rejectsLength = try rejects.sync()
        checkpoint.next = next
        checkpoint.inFlight = []
        checkpoint.inFlightCreates = nil
        checkpoint.inFlightSince = nil
        checkpoint.updated = Date()
        try await store.commit(run: runID, workspace: workspace, source: indexSource, entries: journaled, index: changes, checkpoint: checkpoint)
    }

    /// Notes the run's sizing for `summary.json` and `report.html`.
    func noteSizing(_ sizing: RunSizing) { report.noteSizing(sizing) }

    /// Notes the mapping's source fields that no record had, for `summary.json` and the summary printed.
    func noteUnmatchedSources(_ names: [String]) { report.noteUnmatchedSources(names) }
    func noteInputNotices(_ notices: [String]) { report.noteInputNotices(notices) }

    /// Adds the committed entries to `report.html` and `results.csv` (a run calls it while the next window
    /// is pushed, so the report costs no wall time of its own).
    mutating func writeReport() throws {
        for entry in unreported { try report.append(entry) }
        unreported.removeAll(keepingCapacity: true)
    }

    /// After the last window: the report of every committed result (those of earlier, stopped runs too)
    /// in `outputFolder`.
    mutating func finish() throws -> PlanSummary {
        try writeReport()
        report.propertiesToCreate(checkpoint.summary.propertiesToCreate)
        report.optionsAdded(checkpoint.summary.optionsAdded)
        try report.finish()
        return report.summary
    }
}
