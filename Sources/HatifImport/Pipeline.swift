import Foundation
import HatifAPI
import ServiceLifecycle

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
        var source = RecordSource(files: configuration.files, options: configuration.readerOptions, windowSize: configuration.windowSize)
        while let window = try source.nextWindow() {
            for record in try await planner.plan(window).records { try report.append(record.entry(files: configuration.files)) }
            report.optionsAdded(planner.takeAddedOptions())
        }
        try report.finish()
        return report.summary
    }

    /// The import: creates the missing properties, then, window by window, plans, marks the window's
    /// writes in flight, pushes and commits (``RunJournal``); resumes from the checkpoint unless
    /// `restart`. Writes `results.jsonl` and `rejects.csv` as windows commit, and `report.html`,
    /// `results.csv` and `summary.json` at the end, all in `outputFolder`.
    ///
    /// Graceful shutdown (swift-service-lifecycle: the first SIGINT or SIGTERM) or `shouldStop` stops it
    /// cleanly: no new request starts, the ones in flight finish, and the run throws
    /// ``RunError/interrupted(checkpoint:committedRecords:)``. Task cancellation stops it at once; the
    /// checkpoint then still names the writes in flight, for the resumed run to reconcile.
    public func run(
        outputFolder: String, progress: RunProgress? = nil, shouldStop: @escaping @Sendable () -> Bool = { false }
    ) async throws -> PlanSummary {
        let inputs = try configuration.files.map { path throws(ReaderError) in try InputFingerprint.of(path: path) }
        var journal = try RunJournal(
            checkpointPath: configuration.checkpointFile, inputs: inputs, mapping: InputFingerprint.of(mapping: configuration.mapping),
            files: configuration.files, outputFolder: outputFolder, restart: configuration.restart)
        let stop = StopRequest(condition: shouldStop)
        do {
            return try await withGracefulShutdownHandler {
                try await run(&journal, outputFolder: outputFolder, progress: progress, stop: stop)
            } onGracefulShutdown: {
                stop.request()
            }
        } catch is CancellationError {
            throw RunError.interrupted(checkpoint: journal.checkpointPath, committedRecords: journal.checkpoint.summary.records)
        } catch let error as HatifAPIError {
            throw RunError.apiFailed(error, checkpoint: journal.checkpointPath)
        }
    }

    /// plan → mark in flight → push → commit, window by window.
    private func run(_ journal: inout RunJournal, outputFolder: String, progress: RunProgress?, stop: StopRequest) async throws -> PlanSummary {
        let sizes = journal.checkpoint.inputs.map(\.size)
        func bytesDone(_ position: RunPosition) -> Int64 { sizes.prefix(position.fileIndex).reduce(0, +) + (position.position?.byteOffset ?? 0) }
        await progress?.begin(summary: journal.checkpoint.summary, bytesDone: bytesDone(journal.checkpoint.next), bytesTotal: sizes.reduce(0, +))

        // Properties first: no contact is written when the workspace's properties do not fit the mapping.
        let sync = PropertySync(client: client, mapping: configuration.mapping)
        let propertyPlan = try await sync.plan()
        var properties = try await sync.apply(propertyPlan)
        journal.noteProperties(created: propertyPlan.toCreate.map(\.name), optionsAdded: propertyPlan.optionsToAdd)

        let live = ContactMatcher(keys: configuration.matchKeys, index: SearchContactIndex(client: client))
        var planner = try await windowPlanner(
            earlierWindowDuplicates: .lookUp(live), choices: ChoiceOptions(mapping: configuration.mapping, properties: properties))
        if !journal.checkpoint.next.isStart {
            try RecordSource.forEachItem(files: configuration.files, options: configuration.readerOptions, before: journal.checkpoint.next) { id, item in
                if case .record(let record) = item { planner.remember(record, id: id) }
            }
        }
        let pusher = WindowPusher(
            client: client,
            creator: BulkCreator(
                client: client, batchSize: configuration.batchSize, maxBytes: configuration.batchBytes,
                maxUnknownOutcomes: configuration.maxUnknownOutcomes),
            concurrency: configuration.concurrency, shouldStop: { stop.isRequested })
        let claims = ContactClaims()

        var source = RecordSource(
            files: configuration.files, options: configuration.readerOptions, windowSize: configuration.windowSize, from: journal.checkpoint.next)
        while let window = try source.nextWindow() {
            var plan = try await planner.plan(window)
            try await reconcileResumed(&plan, journal: journal, claims: claims)
            // Values new to a growing choice list become options before any record holding them is written.
            let added = planner.takeAddedOptions()
            if !added.isEmpty {
                properties = try await sync.addOptions(added, to: properties)
                journal.noteProperties(created: [], optionsAdded: added)
            }
            try await journal.markInFlight(plan)
            guard let outcomes = try await pusher.push(plan, claims: claims, progress: progress) else {
                throw RunError.interrupted(checkpoint: journal.checkpointPath, committedRecords: journal.checkpoint.summary.records)
            }
            try await journal.commit(plan, outcomes: outcomes, next: window.next)
            await claims.nextWindow()
            await progress?.committed(summary: journal.checkpoint.summary, bytesDone: bytesDone(window.next))
            if stop.isRequested {
                throw RunError.interrupted(checkpoint: journal.checkpointPath, committedRecords: journal.checkpoint.summary.records)
            }
        }
        return try await journal.finish(outputFolder: outputFolder)
    }

    /// The records an earlier, stopped run had in flight: a create may have been made, so the contacts
    /// they carry (phone, email) are searched for, whatever the match key, and a record whose contact is
    /// found is planned against it instead of being created again.
    private func reconcileResumed(_ plan: inout WindowPlan, journal: RunJournal, claims: ContactClaims) async throws {
        let resumed = plan.records.indices.filter { journal.resumedInFlight.contains(plan.records[$0].id) }
        guard !resumed.isEmpty else { return }
        let note = "its batch was in flight when the last run stopped; found in the workspace, so not created again"
        var creates: [(position: Int, draft: ContactDraft)] = []
        for position in resumed {
            switch plan.records[position].action {
            case .create(let draft): creates.append((position, draft))
            case .update, .unchanged: plan.note(note, at: position)
            default: break
            }
        }
        guard !creates.isEmpty else { return }
        let resultsPath = journal.resultsPath
        let found = try await CreatedContactFinder(client: client).find(
            creates.map(\.draft), since: journal.resumedInFlightSince ?? .distantPast, claims: claims,
            owned: { ids in try ResultsFile.contactIDs(among: ids, in: resultsPath) })
        let planner = Planner(policy: configuration.policy)
        for ((position, draft), contact) in zip(creates, found) {
            guard let contact else { continue }
            plan.replace(planner.plan(draft, match: .one(contact, key: draft.phone == nil ? .email : .phone)), at: position, note: note)
        }
    }

    /// The planner for this run's keys, strategy and policy.
    private func windowPlanner(earlierWindowDuplicates: WindowPlanner.EarlierWindowDuplicates, choices: ChoiceOptions) async throws -> WindowPlanner {
        let estimate = try configuration.files.reduce(0) { total, file in total + (try Self.recordEstimate(file)) }
        let matcher = try await ContactMatcher.make(
            keys: configuration.matchKeys, strategy: configuration.dedup, client: client, expectedRecords: estimate)
        return WindowPlanner(
            mapper: Mapper(mapping: configuration.mapping, strictPhones: configuration.strictPhones),
            planner: Planner(policy: configuration.policy), matcher: matcher, earlierWindowDuplicates: earlierWindowDuplicates, choices: choices)
    }

    /// A rough record count from the file size (for choosing the lookup strategy).
    static func recordEstimate(_ path: String) throws -> Int {
        let size = try InputFile(path: path).size
        return Int(size / 200) + 1
    }
}
