import Foundation

/// A run's memory: the checkpoint (behind its lock), `results.jsonl`, `rejects.csv` and the typed counts.
///
/// A window goes through it twice: ``markInFlight(_:)`` names the records about to be written before the
/// first request, and ``commit(_:outcomes:next:)`` writes their results and rejects, syncs both, and then
/// saves the checkpoint that counts them and names where reading resumes. A crash between the two leaves
/// the records in flight for the resumed run to reconcile; a crash anywhere leaves files the checkpoint
/// can cut back to what it counted.
struct RunJournal {
    /// What the run has committed.
    private(set) var checkpoint: Checkpoint
    /// The records an earlier, stopped run had in flight, and since when; empty for a new run.
    let resumedInFlight: Set<RecordID>
    let resumedInFlightSince: Date?
    /// The run's input files (reports name a merged record's twin by its file).
    let files: [String]
    /// `results.jsonl`.
    let resultsPath: String
    private let store: CheckpointStore
    private let results: ResultsFile
    private let rejects: RejectsFile

    /// Takes the checkpoint's lock and resumes from it, unless `restart` or there is none; checks that the
    /// inputs and mapping are the ones it was made for, and opens the outputs cut back to what it counted.
    init(checkpointPath: String, inputs: [InputFingerprint], mapping: InputFingerprint, files: [String], outputFolder: String, restart: Bool)
        throws
    {
        let checkpointFolder = URL(fileURLWithPath: checkpointPath).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: checkpointFolder, withIntermediateDirectories: true)
        store = try CheckpointStore(path: checkpointPath)
        var checkpoint = Checkpoint(inputs: inputs, mapping: mapping)
        if !restart, let saved = try Checkpoint.load(path: checkpointPath) {
            try saved.checkResumable(inputs: inputs, mapping: mapping)
            checkpoint = saved
        }
        self.checkpoint = checkpoint
        resumedInFlight = Set(checkpoint.inFlight)
        resumedInFlightSince = checkpoint.inFlightSince
        self.files = files
        try FileManager.default.createDirectory(atPath: outputFolder, withIntermediateDirectories: true)
        let folder = URL(fileURLWithPath: outputFolder)
        resultsPath = folder.appending(path: "results.jsonl").path
        results = try ResultsFile(path: resultsPath, keeping: checkpoint.resultsLength)
        rejects = try RejectsFile(path: folder.appending(path: "rejects.csv").path, keeping: checkpoint.rejectsLength)
    }

    /// The checkpoint file.
    var checkpointPath: String { store.path }

    /// Notes the properties the run created and the options it added.
    mutating func noteProperties(created: [String], optionsAdded: [String: [String]]) {
        for name in created where !checkpoint.summary.propertiesToCreate.contains(name) { checkpoint.summary.propertiesToCreate.append(name) }
        checkpoint.summary.addOptions(optionsAdded)
    }

    /// Before the first write of `plan`: saves the checkpoint naming the records it writes (and those an
    /// earlier run left in flight, until their window commits).
    mutating func markInFlight(_ plan: WindowPlan) async throws {
        var ids: [RecordID] = []
        for record in plan.records {
            switch record.action {
            case .create, .update: ids.append(record.id)
            default: if resumedInFlight.contains(record.id) { ids.append(record.id) }
            }
        }
        guard !ids.isEmpty else { return }
        checkpoint.inFlight = ids
        checkpoint.inFlightSince = Date()
        try await store.save(checkpoint)
    }

    /// Commits a pushed window: its results and rejects, synced, then the checkpoint that counts them and
    /// resumes at `next`.
    mutating func commit(_ plan: WindowPlan, outcomes: [RecordOutcome], next: RunPosition) async throws {
        for (record, outcome) in zip(plan.records, outcomes) {
            var entry = record.entry(files: files)
            entry.outcome = outcome.kind
            if let id = outcome.contactID, entry.contactIDs.isEmpty { entry.contactIDs = [id] }
            if case .failed(let reason, _) = outcome { entry.reasons.insert(reason, at: 0) }
            try results.append(entry)
            checkpoint.summary.add(entry)
            switch (record.action, outcome) {
            case (.reject(let reject), _):
                try rejects.append(reject, record: record.source, excerpt: record.excerpt)
            case (_, .failed(let reason, _)):
                try rejects.append(
                    RecordReject(ordinal: record.id.ordinal, location: record.location, reason: "the API refused it: \(reason)"),
                    record: record.source)
            default: break
            }
        }
        checkpoint.resultsLength = try results.sync()
        checkpoint.rejectsLength = try rejects.sync()
        checkpoint.next = next
        checkpoint.inFlight = []
        checkpoint.inFlightSince = nil
        checkpoint.updated = Date()
        try await store.save(checkpoint)
    }

    /// After the last window: the report of every committed result (those of earlier, stopped runs too)
    /// in `outputFolder`, and the checkpoint removed so the next run starts afresh.
    func finish(outputFolder: String) async throws -> PlanSummary {
        let report = try PlanReportWriter(folder: outputFolder, dryRun: false)
        report.propertiesToCreate(checkpoint.summary.propertiesToCreate)
        report.optionsAdded(checkpoint.summary.optionsAdded)
        try ResultsFile.forEachEntry(in: resultsPath) { try report.append($0) }
        try report.finish()
        await store.finish()
        return report.summary
    }
}
