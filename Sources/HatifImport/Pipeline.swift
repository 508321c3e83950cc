import Foundation
import HatifAPI

/// The import pipeline: read → map → match (one lookup round per window) → plan → push, window by window,
/// committing each window to the checkpoint; a dry run stops after the plan and writes it as a report.
public struct Pipeline: Sendable {
    /// How a run is set up; every member has a documented default.
    public struct Configuration: Sendable {
        /// Input files, read in order.
        public var files: [String]
        /// The mapping.
        public var mapping: MappingFile
        /// How to read the files.
        public var readerOptions: ReaderOptions
        /// Match keys, in order: the first that finds a contact wins. Default `[phone, email]`, so a record without a valid phone is still matched by its email.
        public var matchKeys: [MatchKey]
        /// Lookup strategy. Default `auto`.
        public var dedup: DedupStrategy
        /// Plan policy. Default update / conflict.
        public var policy: PlanPolicy
        /// Cards per bulk file and records per lookup batch, at most 500. Default 500.
        public var batchSize: Int
        /// Bytes per bulk file, at most 5 MiB. Default 5 MiB.
        public var batchBytes: Int
        /// Requests in flight at most. Default 4.
        public var concurrency: Int
        /// The checkpoint file; nil puts it next to the first input as `<input>.hatif-checkpoint.json`.
        public var checkpointPath: String?
        /// Start over instead of resuming from the checkpoint. Default false.
        public var restart: Bool
        /// Unknown outcomes of one bulk file (each reconciled by lookup) before the run gives up. Default 5.
        public var maxUnknownOutcomes: Int
        /// Refuse phone numbers that the phone metadata finds possible but does not know. Default false:
        /// they are kept with a note (``PhoneNormalizer/strict``).
        public var strictPhones = false

        public init(
            files: [String], mapping: MappingFile, readerOptions: ReaderOptions = ReaderOptions(), matchKeys: [MatchKey] = [.phone, .email],
            dedup: DedupStrategy = .auto, policy: PlanPolicy = PlanPolicy(), batchSize: Int = 500, batchBytes: Int = 5 << 20,
            concurrency: Int = 4, checkpointPath: String? = nil, restart: Bool = false, maxUnknownOutcomes: Int = 5
        ) {
            self.files = files
            self.mapping = mapping
            self.readerOptions = readerOptions
            self.matchKeys = matchKeys.isEmpty ? [.phone, .email] : matchKeys
            self.dedup = dedup
            self.policy = policy
            self.batchSize = min(500, max(1, batchSize))
            self.batchBytes = batchBytes
            self.concurrency = max(1, concurrency)
            self.checkpointPath = checkpointPath
            self.restart = restart
            self.maxUnknownOutcomes = maxUnknownOutcomes
        }

        /// Records planned and pushed together: one bulk file per request slot.
        var windowSize: Int { batchSize * concurrency }

        /// The checkpoint file in use.
        public var checkpointFile: String { checkpointPath ?? (files.first ?? "hatif-import") + ".hatif-checkpoint.json" }
    }

    private let configuration: Configuration
    private let client: HatifClient

    /// Creates a pipeline over a client.
    public init(configuration: Configuration, client: HatifClient) {
        self.configuration = configuration
        self.client = client
    }

    /// The dry run: token, property listing and searches only — no write — and the plan to `report`.
    public func dryRun(report: PlanReportWriter) async throws -> PlanSummary {
        let propertyPlan = try await PropertySync(client: client, mapping: configuration.mapping).plan()
        report.propertiesToCreate(propertyPlan.toCreate.map(\.name))
        report.optionsAdded(propertyPlan.optionsToAdd)
        var planner = try await windowPlanner(
            earlierWindowDuplicates: .reportMerged, choices: ChoiceOptions(mapping: configuration.mapping, properties: propertyPlan.properties))
        for fileIndex in configuration.files.indices {
            var cursor = RecordCursor(reader: try configuration.readerOptions.open(configuration.files[fileIndex]), path: configuration.files[fileIndex])
            while cursor.upcoming != nil {
                let window = readWindow(fileIndex: fileIndex, cursor: &cursor)
                for record in try await planner.plan(window) { try report.append(record.entry) }
                report.optionsAdded(planner.takeAddedOptions())
            }
        }
        try report.finish()
        return report.summary
    }

    /// The import: creates the missing properties, then plans and pushes window by window, committing each
    /// to the checkpoint; resumes from the checkpoint unless `restart`. Writes `results.jsonl` and
    /// `rejects.csv` as windows commit, and `report.html`, `results.csv` and `summary.json` at the end,
    /// all in `outputFolder`.
    ///
    /// `shouldStop` is asked before every request: once it says true no new request starts, the ones in
    /// flight finish, and the run throws ``RunError/interrupted(checkpoint:committedRecords:)``.
    public func run(
        outputFolder: String, progress: RunProgress? = nil, shouldStop: @escaping @Sendable () -> Bool = { false }
    ) async throws -> PlanSummary {
        let files = configuration.files
        let checkpointFolder = URL(fileURLWithPath: configuration.checkpointFile).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: checkpointFolder, withIntermediateDirectories: true)
        let store = try CheckpointStore(path: configuration.checkpointFile)
        let inputs = try files.map { path throws(ReaderError) in try InputFingerprint.of(path: path) }
        let mappingFingerprint = InputFingerprint.of(mapping: configuration.mapping)
        var checkpoint = Checkpoint(inputs: inputs, mapping: mappingFingerprint)
        var resumedInFlight: (fileIndex: Int, ordinals: Set<Int>) = (0, [])
        if !configuration.restart, let saved = try Checkpoint.load(path: store.path) {
            try saved.checkResumable(inputs: inputs, mapping: mappingFingerprint)
            checkpoint = saved
            resumedInFlight = (saved.fileIndex, Set(saved.inFlight.filter { $0.fileIndex == saved.fileIndex }.flatMap(\.ordinals)))
        }
        try FileManager.default.createDirectory(atPath: outputFolder, withIntermediateDirectories: true)
        let resultsPath = URL(fileURLWithPath: outputFolder).appending(path: "results.jsonl").path
        let results = try ResultsFile(path: resultsPath, keeping: checkpoint.resultsLength)
        let rejects = try RejectsFile(path: URL(fileURLWithPath: outputFolder).appending(path: "rejects.csv").path, keeping: checkpoint.rejectsLength)
        let sizes = inputs.map(\.size)
        func bytesDone(_ checkpoint: Checkpoint) -> Int64 {
            sizes.prefix(checkpoint.fileIndex).reduce(0, +) + (checkpoint.position?.byteOffset ?? 0)
        }
        await progress?.begin(summary: checkpoint.summary, bytesDone: bytesDone(checkpoint), bytesTotal: sizes.reduce(0, +))

        // Properties first: no contact is written when the workspace's properties do not fit the mapping.
        let sync = PropertySync(client: client, mapping: configuration.mapping)
        let propertyPlan = try await apiCall(checkpoint: store.path) { try await sync.plan() }
        var properties = try await apiCall(checkpoint: store.path) { try await sync.apply(propertyPlan) }
        checkpoint.summary.propertiesToCreate += propertyPlan.toCreate.map(\.name)
        checkpoint.summary.addOptions(propertyPlan.optionsToAdd)

        let live = ContactMatcher(keys: configuration.matchKeys, index: SearchContactIndex(client: client))
        let choices = ChoiceOptions(mapping: configuration.mapping, properties: properties)
        var planner = try await apiCall(checkpoint: store.path) {
            try await windowPlanner(earlierWindowDuplicates: .lookUp(live), choices: choices)
        }
        if checkpoint.fileIndex > 0 || checkpoint.position != nil {
            try rememberCommittedKeys(upTo: checkpoint, in: &planner)
        }
        let pusher = WindowPusher(
            client: client,
            creator: BulkCreator(
                client: client, batchSize: configuration.batchSize, maxBytes: configuration.batchBytes, keys: configuration.matchKeys,
                maxUnknownOutcomes: configuration.maxUnknownOutcomes),
            concurrency: configuration.concurrency, shouldStop: shouldStop)

        for fileIndex in checkpoint.fileIndex..<files.count {
            let start = fileIndex == checkpoint.fileIndex ? checkpoint.position : nil
            var cursor = RecordCursor(reader: try configuration.readerOptions.open(files[fileIndex], startAt: start), path: files[fileIndex])
            while cursor.upcoming != nil {
                let window = readWindow(fileIndex: fileIndex, cursor: &cursor)
                var planned = try await apiCall(checkpoint: store.path) { try await planner.plan(window) }
                // Values new to a growing choice list become options before any record holding them is written.
                let added = planner.takeAddedOptions()
                if !added.isEmpty {
                    properties = try await apiCall(checkpoint: store.path) { try await sync.addOptions(added, to: properties) }
                    checkpoint.summary.addOptions(added)
                }
                if fileIndex == resumedInFlight.fileIndex, !resumedInFlight.ordinals.isEmpty {
                    Self.noteResumed(&planned, inFlight: resumedInFlight.ordinals)
                }

                // Before the first write, the checkpoint names what this window creates.
                let creates = planned.compactMap { record -> Int? in
                    guard case .create = record.action else { return nil }
                    return record.ordinal
                }
                let writes = planned.contains { if case .update = $0.action { true } else { false } }
                if !creates.isEmpty || writes {
                    // Records an earlier, stopped run had in flight stay listed until their window commits.
                    var ordinals = Set(creates)
                    if fileIndex == resumedInFlight.fileIndex {
                        ordinals.formUnion(planned.lazy.map(\.ordinal).filter(resumedInFlight.ordinals.contains))
                    }
                    checkpoint.inFlight = [Checkpoint.InFlightBatch(fileIndex: fileIndex, ordinals: ordinals.sorted())]
                    try await store.save(checkpoint)
                }
                guard let outcomes = try await apiCall(checkpoint: store.path, { try await pusher.push(planned, progress: progress) }) else {
                    throw RunError.interrupted(checkpoint: store.path, committedRecords: checkpoint.summary.records)
                }

                // Commit: the window's results, then the checkpoint that counts them.
                for (record, outcome) in zip(planned, outcomes) {
                    var entry = record.entry
                    entry.outcome = outcome.name
                    if let id = outcome.contactID, entry.contactIDs.isEmpty { entry.contactIDs = [id] }
                    if case .failed(let reason, _) = outcome { entry.reasons.insert(reason, at: 0) }
                    try results.append(entry)
                    checkpoint.summary.add(entry)
                    switch (record.action, outcome) {
                    case (.reject(let reject), _):
                        try rejects.append(reject, record: record.source, excerpt: record.excerpt)
                    case (_, .failed(let reason, _)):
                        try rejects.append(
                            RecordReject(ordinal: record.ordinal, location: record.location, reason: "the API refused it: \(reason)"),
                            record: record.source)
                    default: break
                    }
                }
                checkpoint.resultsLength = try results.sync()
                checkpoint.rejectsLength = try rejects.sync()
                if let next = cursor.upcoming {
                    checkpoint.fileIndex = fileIndex
                    checkpoint.position = ReadPosition(byteOffset: next.location.byteOffset, line: next.location.line, ordinal: next.ordinal)
                } else {
                    checkpoint.fileIndex = fileIndex + 1
                    checkpoint.position = nil
                }
                checkpoint.inFlight = []
                checkpoint.updated = Date()
                try await store.save(checkpoint)
                await progress?.committed(summary: checkpoint.summary, bytesDone: bytesDone(checkpoint))
                if shouldStop() { throw RunError.interrupted(checkpoint: store.path, committedRecords: checkpoint.summary.records) }
            }
        }

        // The after-run report, from every committed result (those of earlier, interrupted runs too).
        let report = try PlanReportWriter(folder: outputFolder, dryRun: false)
        report.propertiesToCreate(checkpoint.summary.propertiesToCreate)
        report.optionsAdded(checkpoint.summary.optionsAdded)
        try ResultsFile.forEachEntry(in: resultsPath) { try report.append($0) }
        try report.finish()
        await store.finish()
        return report.summary
    }

    /// Reads the records before the checkpoint's position again, mapping them only to register their keys:
    /// in-file duplicates are found across a resume as they are within one run.
    private func rememberCommittedKeys(upTo checkpoint: Checkpoint, in planner: inout WindowPlanner) throws {
        for fileIndex in 0...min(checkpoint.fileIndex, configuration.files.count - 1) {
            let stop = fileIndex == checkpoint.fileIndex ? checkpoint.position?.ordinal ?? 1 : Int.max
            guard stop > 1 else { continue }
            var cursor = RecordCursor(reader: try configuration.readerOptions.open(configuration.files[fileIndex]), path: configuration.files[fileIndex])
            while let item = cursor.advance(), item.ordinal < stop {
                if case .record(let record) = item { planner.remember(record, fileIndex: fileIndex) }
            }
        }
    }

    /// The planner for this run's keys, strategy and policy.
    private func windowPlanner(earlierWindowDuplicates: WindowPlanner.EarlierWindowDuplicates, choices: ChoiceOptions) async throws -> WindowPlanner {
        let estimate = try configuration.files.reduce(0) { total, file in total + (try Self.recordEstimate(file)) }
        let matcher = try await ContactMatcher.make(
            keys: configuration.matchKeys, strategy: configuration.dedup, client: client, expectedRecords: estimate)
        return WindowPlanner(
            files: configuration.files, mapper: Mapper(mapping: configuration.mapping, strictPhones: configuration.strictPhones),
            planner: Planner(policy: configuration.policy), matcher: matcher, earlierWindowDuplicates: earlierWindowDuplicates, choices: choices)
    }

    /// The next window of records from `cursor`, which is left on the item after the window.
    private func readWindow(fileIndex: Int, cursor: inout RecordCursor) -> [(fileIndex: Int, item: ReadItem)] {
        var window: [(fileIndex: Int, item: ReadItem)] = []
        window.reserveCapacity(configuration.windowSize)
        while window.count < configuration.windowSize, let item = cursor.advance() { window.append((fileIndex, item)) }
        return window
    }

    /// Runs API calls, turning an API failure into ``RunError/apiFailed(_:checkpoint:)`` (resumable).
    private func apiCall<T>(checkpoint: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as HatifAPIError {
            throw RunError.apiFailed(error, checkpoint: checkpoint)
        }
    }

    /// Records whose batch was in flight when the last run stopped and that are found in the workspace now.
    private static func noteResumed(_ planned: inout [PlannedRecord], inFlight: Set<Int>) {
        for index in planned.indices where inFlight.contains(planned[index].ordinal) {
            switch planned[index].action {
            case .unchanged, .update:
                planned[index].notes.append("its batch was in flight when the last run stopped; found in the workspace, so not created again")
            default: break
            }
        }
    }

    /// A rough record count from the file size (for choosing the lookup strategy).
    static func recordEstimate(_ path: String) throws -> Int {
        let size = try InputFile(path: path).size
        return Int(size / 200) + 1
    }
}
