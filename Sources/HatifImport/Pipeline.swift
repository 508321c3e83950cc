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
        /// Where runs keep their state. Default ``StateLocation/defaultLocation(environment:)``.
        public var state: StateLocation
        /// The name of what is imported, for the run history and the source index (`--source`); nil
        /// names it after the input files.
        public var source: String?
        /// Leave the source's unfinished run and start over instead of resuming it. Default false.
        public var restart: Bool
        /// Trust the source index: a record whose key it holds with the same draft hash is unchanged
        /// without a lookup (`--incremental`). Default false.
        public var incremental = false
        /// Look every record up this time, even when incremental (`--verify`). Default false.
        public var verify = false
        /// An incremental run looks every record up when this many runs of the source have passed since the
        /// last that did (`--verify-every`). Default 7.
        public var verifyEvery = 7
        /// The exit code the run history records for a run that ended with a summary or an error. Default:
        /// 0 when every record went in, 1 when some did not, 3 after an error.
        public var exitCode: @Sendable (PlanSummary?, (any Error)?) -> Int32 = Configuration.defaultExitCode

        /// 0 when every record went in, 1 when some did not, 3 after an error.
        static let defaultExitCode: @Sendable (PlanSummary?, (any Error)?) -> Int32 = { summary, error in
            guard let summary, error == nil else { return 3 }
            return summary.reject + summary.conflict + summary.failed == 0 ? 0 : 1
        }
        /// Unknown outcomes of one bulk file (each reconciled by lookup) before the run gives up. Default 5.
        public var maxUnknownOutcomes: Int
        /// What is done with the contacts earlier runs of the source wrote that the input no longer holds
        /// (`--on-missing`). Default: nothing.
        public var missing = MissingPolicy()
        /// Refuse phone numbers that the phone metadata finds possible but does not know. Default false:
        /// they are kept with a note (``PhoneNormalizer/strict``).
        public var strictPhones = false
        /// What the report folder holds and shows (`--report-unchanged`, `--report-rows`, `--redact`).
        /// Default ``ReportOptions/init(listUnchanged:rowBudget:rowsPerPart:redact:)``.
        public var report = ReportOptions()

        public init(
            files: [String], mapping: MappingFile, readerOptions: ReaderOptions = ReaderOptions(), matchKeys: [MatchKey] = [.phone, .email],
            dedup: DedupStrategy = .auto, policy: PlanPolicy = PlanPolicy(), batchSize: Int = 500, batchBytes: Int = 5 << 20,
            concurrency: Int = 4, state: StateLocation = .defaultLocation(), source: String? = nil, restart: Bool = false,
            maxUnknownOutcomes: Int = 5
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
            self.state = state
            self.source = source
            self.restart = restart
            self.maxUnknownOutcomes = maxUnknownOutcomes
        }

        /// Records planned and pushed together: one bulk file per request slot.
        var windowSize: Int { batchSize * concurrency }

        /// The source's name: ``source``, else the input files' names.
        public var sourceName: String {
            source ?? files.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ",")
        }
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
        let sentBefore = client.requests.plannedByOperation
        let propertyPlan = try await PropertySync(client: client, mapping: configuration.mapping).plan()
        report.propertiesToCreate(propertyPlan.toCreate.map(\.name))
        report.optionsAdded(propertyPlan.optionsToAdd)
        // An incremental dry run reads the source index as the run would, and writes nothing to it; so does
        // one that acts on missing contacts.
        let onMissing = configuration.missing.action != .ignore
        let store = configuration.incremental || onMissing ? try await configuration.state.open() : nil
        do {
            var trusted = false
            if let store, configuration.incremental {
                trusted = !(try await store.fullLookupDue(
                    workspace: client.workspace, source: configuration.sourceName, incremental: true, verify: configuration.verify,
                    verifyEvery: configuration.verifyEvery))
            }
            var planner = try await windowPlanner(
                earlierWindowDuplicates: .reportMerged, choices: ChoiceOptions(mapping: configuration.mapping, properties: propertyPlan.properties),
                index: store.map { sourceIndex(store: $0, trusted: trusted) })
            var source = RecordSource(files: configuration.files, options: configuration.readerOptions, windowSize: configuration.windowSize)
            var seen = SeenInSource()
            var sizing = RequestSizing()
            sizing.propertyCreates = propertyPlan.toCreate.count
            sizing.addOptions(propertyPlan.optionsToAdd)
            let batcher = VCardBatcher(maxCards: configuration.batchSize, maxBytes: configuration.batchBytes)
            while let window = try source.nextWindow() {
                let plan = try await planner.plan(window)
                sizing.add(plan, batcher: batcher)
                for record in plan.records {
                    if onMissing { seen.note(record) }
                    try report.append(record.entry(files: configuration.files))
                }
                let added = planner.takeAddedOptions()
                sizing.addOptions(added)
                report.optionsAdded(added)
            }
            if report.summary.records > 0 { report.noteUnmatchedSources(planner.mapper.unmatchedSources) }
            report.noteInputNotices(source.notices)
            // The run makes the reads this dry run made (property listing, lookups or prefetch pages).
            sizing.searches += RequestSizing(sent: client.requests.plannedByOperation, since: sentBefore).searches
            report.noteSizing(sized(sizing))
            var refusal: MissingError?
            if let store, onMissing {
                do {
                    try await listMissing(seen: seen, store: store, report: report)
                } catch let error as MissingError {
                    refusal = error
                }
            }
            try report.finish()
            await store?.close()
            if let refusal { throw refusal }
            return report.summary
        } catch {
            await store?.close()
            throw error
        }
    }

    /// `estimate` at this run's pace, with the answer time measured so far.
    private func sized(_ estimate: RequestSizing) -> RunSizing {
        RunSizing(
            estimate: estimate, latency: client.requests.meanLatency, maxRequestsPerSecond: client.limiter?.maxRate,
            concurrency: configuration.concurrency)
    }

    /// What a dry run read of the source, to tell which contacts of the source index it no longer holds.
    struct SeenInSource {
        var keys = Set<String>()
        var contacts = Set<String>()

        mutating func note(_ record: PlannedRecord) {
            if let key = record.fingerprint?.key { keys.insert(key) }
            switch record.action {
            case .update(let id, _, _, _), .unchanged(let id, _): contacts.insert(id)
            case .conflict(let ids, _): contacts.formUnion(ids)
            default: break
            }
        }
    }

    /// The dry run of `--on-missing`: lists the contacts the run would flag or delete in `report`, then
    /// throws the guard's refusal when the run would refuse.
    private func listMissing(seen: SeenInSource, store: any StateStore, report: PlanReportWriter) async throws {
        let (workspace, source) = (client.workspace, configuration.sourceName)
        // No entry names run 0, so this counts every contact the source wrote.
        let known = try await store.missingCounts(workspace: workspace, source: source, run: 0).known
        let planner = MissingPlanner(client: client, action: configuration.missing.action, fileIndex: configuration.files.count)
        var listed = Set<String>()
        var candidates: [MissingContact] = []
        var newlyMissing = 0
        func flush() async throws {
            let window = try await planner.plan(candidates, firstOrdinal: listed.count - candidates.count + 1)
            for record in window.plan.records { try report.append(record.entry(files: configuration.files)) }
            candidates.removeAll()
        }
        func forEachEntry(_ body: (SourceIndexEntry) async throws -> Void) async throws {
            var after: String?
            while true {
                let page = try await store.indexPage(workspace: workspace, source: source, after: after, limit: 1000)
                guard let last = page.last else { return }
                after = last.key
                for entry in page { try await body(entry) }
            }
        }
        // A contact is still in the source when any of its keys is: a first pass learns them.
        var seen = seen
        try await forEachEntry { entry in
            if seen.keys.contains(entry.key) { seen.contacts.insert(entry.contact) }
        }
        try await forEachEntry { entry in
            guard !seen.contacts.contains(entry.contact), !listed.contains(entry.contact) else { return }
            listed.insert(entry.contact)
            if entry.hash != SourceIndexEntry.flagged { newlyMissing += 1 }
            candidates.append(
                MissingContact(contact: entry.contact, key: entry.key, run: entry.run, flagged: entry.hash == SourceIndexEntry.flagged))
            if candidates.count == configuration.batchSize { try await flush() }
        }
        if !candidates.isEmpty { try await flush() }
        try Self.checkGuards(
            configuration.missing, records: report.summary.records, newlyMissing: newlyMissing, known: known,
            last: try await store.lastFinishedRun(workspace: workspace, source: source))
    }

    /// The source index of this run's workspace and source in `store`.
    private func sourceIndex(store: any StateStore, trusted: Bool) -> WindowPlanner.SourceIndex {
        let (workspace, source) = (client.workspace, configuration.sourceName)
        return WindowPlanner.SourceIndex(trusted: trusted) { keys in try await store.indexEntries(workspace: workspace, source: source, keys: keys) }
    }

    /// The import: takes the workspace lock in the run state, creates the missing properties, then,
    /// window by window, plans, marks the window's writes in flight, pushes and commits (``RunJournal``);
    /// resumes the source's unfinished run unless `restart`, and records how the run ended. Writes
    /// `results.jsonl`, `rejects.csv`, `report.html` and `results.csv` as windows commit (the last two
    /// under `.partial` names until the end), and `summary.json` at the end, all in `outputFolder`.
    ///
    /// Graceful shutdown (swift-service-lifecycle: the first SIGINT or SIGTERM) or `shouldStop` stops it
    /// cleanly: no new request starts, the ones in flight finish, and the run throws
    /// ``RunError/interrupted(run:committed:)``. Task cancellation stops it at once; the checkpoint then
    /// still names the writes in flight, for the resumed run to reconcile.
    /// `runStarted` receives the run's id in the run history once the lock is taken.
    public func run(
        outputFolder: String, progress: RunProgress? = nil, shouldStop: @escaping @Sendable () -> Bool = { false },
        runStarted: @Sendable (Int64) -> Void = { _ in }
    ) async throws -> PlanSummary {
        let inputs = try InputFingerprint.of(paths: configuration.files)
        return try await configuration.state.withStore { store in
            try await run(store: store, inputs: inputs, outputFolder: outputFolder, progress: progress, shouldStop: shouldStop, runStarted: runStarted)
        }
    }

    /// The run inside its state: opens the journal (the lock, the run's row), runs it, records its end.
    private func run(
        store: any StateStore, inputs: [InputFingerprint], outputFolder: String, progress: RunProgress?, shouldStop: @escaping @Sendable () -> Bool,
        runStarted: @Sendable (Int64) -> Void
    ) async throws -> PlanSummary {
        var journal = try await RunJournal.open(
            store: store,
            .init(
                workspace: client.workspace, source: configuration.sourceName, inputs: inputs, mapping: InputFingerprint.of(mapping: configuration.mapping),
                files: configuration.files, outputFolder: outputFolder, restart: configuration.restart, incremental: configuration.incremental,
                verify: configuration.verify, verifyEvery: configuration.verifyEvery, report: configuration.report))
        runStarted(journal.runID)
        return try await journal.carryOut(shouldStop: shouldStop, exitCode: configuration.exitCode) { journal, stop in
            try await run(&journal, store: store, progress: progress, stop: stop)
        }
    }

    /// plan → mark in flight → push → commit, window by window.
    private func run(_ journal: inout RunJournal, store: any StateStore, progress: RunProgress?, stop: StopRequest) async throws
        -> PlanSummary
    {
        // Positions count the bytes a reader reads: a .gz's or a zip entry's inflated bytes.
        let sizes = configuration.files.map(InputFile.expectedSize)
        let counter = client.requests
        let (sentBefore, lookupsBefore, retriesBefore, recoveriesBefore) = (counter.plannedByOperation, counter.lookups, counter.retries, counter.recoveries)
        func bytesDone(_ position: RunPosition) -> Int64 { sizes.prefix(position.fileIndex).reduce(0, +) + (position.position?.byteOffset ?? 0) }
        await progress?.begin(summary: journal.checkpoint.summary, bytesDone: bytesDone(journal.checkpoint.next), bytesTotal: sizes.reduce(0, +))

        // Properties first: no contact is written when the workspace's properties do not fit the mapping.
        let sync = PropertySync(client: client, mapping: configuration.mapping)
        let propertyPlan = try await RequestCounter.$lookingUp.withValue(true) { try await sync.plan() }
        var properties = try await sync.apply(propertyPlan)
        // The estimate a dry run would make, from this run's plan, for the report beside what was sent.
        var estimate = RequestSizing()
        estimate.propertyCreates = propertyPlan.toCreate.count
        estimate.addOptions(propertyPlan.optionsToAdd)
        let batcher = VCardBatcher(maxCards: configuration.batchSize, maxBytes: configuration.batchBytes)
        let createdBefore = journal.checkpoint.summary.create
        journal.noteProperties(created: propertyPlan.toCreate.map(\.name), optionsAdded: propertyPlan.optionsToAdd)

        let live = ContactMatcher(keys: configuration.matchKeys, index: SearchContactIndex(client: client))
        let trusted = configuration.incremental && !journal.fullLookup
        var planner = try await RequestCounter.$lookingUp.withValue(true) {
            try await windowPlanner(
                earlierWindowDuplicates: .lookUp(live), choices: ChoiceOptions(mapping: configuration.mapping, properties: properties),
                index: sourceIndex(store: store, trusted: trusted))
        }

        // Trusting the index leaves few records per window to look up: larger windows fill the lookup
        // batches instead of sending a near-empty search per window.
        // A resumed run reads what it committed again, to know its in-file duplicates, then goes on.
        let windowSize = trusted ? min(50_000, configuration.windowSize * 25) : configuration.windowSize
        var source = RecordSource(
            files: configuration.files, options: configuration.readerOptions, windowSize: windowSize, resumingAt: journal.checkpoint.next)
        while let replayed = try source.nextReplayed() {
            for (id, item) in replayed {
                if case .record(let record) = item { planner.remember(record, id: id) }
            }
        }
        // Every property the workspace has goes to the pusher, for the values an update empties (the flag of
        // --on-missing).
        let pusher = WindowPusher(
            client: client,
            creator: BulkCreator(
                client: client, batchSize: configuration.batchSize, maxBytes: configuration.batchBytes,
                maxUnknownOutcomes: configuration.maxUnknownOutcomes),
            concurrency: configuration.concurrency, shouldStop: { stop.isRequested },
            propertyIDs: propertyPlan.workspaceIDs.merging(properties.mapValues(\.id)) { _, created in created })
        let claims = ContactClaims()

        var window = try source.nextWindow()
        var prepared: WindowPlanner.PreparedWindow?
        if let window { prepared = try await RequestCounter.$lookingUp.withValue(true) { try await planner.prepare(window) } }
        while let current = window, let ready = prepared {
            var plan = try await RequestCounter.$lookingUp.withValue(true) { try await planner.complete(ready) }
            try await RequestCounter.$recovering.withValue(true) { try await reconcileResumed(&plan, journal: journal, claims: claims) }
            // Values new to a growing choice list become options before any record holding them is written.
            let added = planner.takeAddedOptions()
            estimate.add(plan, batcher: batcher)
            estimate.addOptions(added)
            if !added.isEmpty {
                properties = try await sync.addOptions(added, to: properties)
                journal.noteProperties(created: [], optionsAdded: added)
            }
            try await journal.markInFlight(plan)
            let planned = plan
            // The window is pushed while the next one is read and prepared (mapped, and looked up where no
            // earlier record had its keys); its records that share a key with this window's wait for it.
            async let pushed = pusher.push(planned, claims: claims, progress: progress)
            try journal.writeReport()
            var upcoming: RecordWindow?
            var upcomingPrepared: WindowPlanner.PreparedWindow?
            var preparation: (any Error)?
            if !stop.isRequested {
                do {
                    upcoming = try source.nextWindow()
                    if let upcoming {
                        upcomingPrepared = try await RequestCounter.$lookingUp.withValue(true) { try await planner.prepare(upcoming) }
                    }
                } catch {
                    preparation = error
                }
            }
            guard let outcomes = try await pushed else {
                throw RunError.interrupted(run: journal.runID, committed: journal.checkpoint.summary)
            }
            try await journal.commit(planned, pushed: outcomes, next: current.next)
            await claims.nextWindow()
            await progress?.committed(summary: journal.checkpoint.summary, bytesDone: bytesDone(current.next))
            if let preparation { throw preparation }
            if stop.isRequested { throw RunError.interrupted(run: journal.runID, committed: journal.checkpoint.summary) }
            window = upcoming
            prepared = upcomingPrepared
        }
        if configuration.missing.action != .ignore {
            try await actOnMissing(&journal, store: store, pusher: pusher, claims: claims, stop: stop)
        }
        estimate.searches += counter.lookups - lookupsBefore
        var runSizing = sized(estimate)
        runSizing.actual = RequestSizing(sent: counter.plannedByOperation, since: sentBefore)
        runSizing.actual?.creates = journal.checkpoint.summary.create - createdBefore
        runSizing.retries = counter.retries - retriesBefore
        runSizing.recoveries = counter.recoveries - recoveriesBefore
        journal.noteSizing(runSizing)
        // Replayed records were mapped too, so a resumed run knows every record's fields.
        if journal.checkpoint.summary.records > 0 { journal.noteUnmatchedSources(planner.mapper.unmatchedSources) }
        journal.noteInputNotices(source.notices)
        return try journal.finish()
    }

    /// `--on-missing`, once every input was read to the end and committed: checks the guards (unless a
    /// stopped run passed them already), then flags or deletes the source's missing contacts, a page at a
    /// time, each page committed with the checkpoint that names the last contact done.
    private func actOnMissing(_ journal: inout RunJournal, store: any StateStore, pusher: WindowPusher, claims: ContactClaims, stop: StopRequest)
        async throws
    {
        let (workspace, source, run, policy) = (client.workspace, configuration.sourceName, journal.runID, configuration.missing)
        if journal.checkpoint.missingAfter == nil {
            let counts = try await store.missingCounts(workspace: workspace, source: source, run: run)
            let last = try await store.lastFinishedRun(workspace: workspace, source: source)
            try Self.checkGuards(
                policy, records: journal.checkpoint.summary.records, newlyMissing: counts.newlyMissing, known: counts.known, last: last)
            guard counts.missing > 0 else { return }
            if policy.action == .flag { try await ensureFlagProperty() }
        }
        let planner = MissingPlanner(client: client, action: policy.action, fileIndex: configuration.files.count)
        var after = journal.checkpoint.missingAfter
        var done = journal.checkpoint.missingDone ?? 0
        while true {
            let page = try await store.missingContacts(workspace: workspace, source: source, run: run, after: after, limit: configuration.batchSize)
            guard let last = page.last else { return }
            let window = try await planner.plan(page, firstOrdinal: done + 1)
            try await journal.markInFlight(window.plan)
            guard let pushed = try await pusher.push(window.plan, claims: claims) else {
                throw RunError.interrupted(run: run, committed: journal.checkpoint.summary)
            }
            done += page.count
            after = last.contact
            journal.noteMissing(after: last.contact, done: done)
            try await journal.commit(
                window.plan, pushed: pushed, next: journal.checkpoint.next, index: planner.indexChanges(window, outcomes: pushed.outcomes),
                before: window.before)
            try journal.writeReport()
            if stop.isRequested { throw RunError.interrupted(run: run, committed: journal.checkpoint.summary) }
        }
    }

    /// The guards of `--on-missing`: the input is not much shorter than the source's last complete run,
    /// and no more contacts are newly missing than the policy allows.
    static func checkGuards(_ policy: MissingPolicy, records: Int, newlyMissing: Int, known: Int, last: RunRecord?) throws(MissingError) {
        if !policy.allowShrink, let last, records * 2 < last.summary.records {
            throw .inputShrank(records: records, last: last.summary.records, lastRun: last.id)
        }
        if !policy.limit.allows(newlyMissing, of: known) { throw .tooMany(missing: newlyMissing, known: known, limit: policy.limit) }
    }

    /// Creates the Date property `hatif_missing_since` when the workspace lacks it (``PropertySync``, as
    /// for the mapping's properties: another type stops the run, one created meanwhile is accepted).
    private func ensureFlagProperty() async throws {
        var flag = configuration.mapping
        flag.properties = [MissingPolicy.property: .init(displayName: "Missing from the source since", type: .date)]
        let sync = PropertySync(client: client, mapping: flag)
        try await sync.apply(try await sync.plan())
    }

    /// The records an earlier, stopped run had in flight: a create may have been made, so the contacts
    /// they carry (phone, email) are searched for, whatever the match key, and a record whose contact is
    /// found is planned against it instead of being created again.
    private func reconcileResumed(_ plan: inout WindowPlan, journal: RunJournal, claims: ContactClaims) async throws {
        let resumed = plan.records.indices.filter { journal.resumedInFlight.contains(plan.records[$0].id) }
        guard !resumed.isEmpty else { return }
        let note = "its batch was in flight when the last run stopped; found in the workspace, so not created again"
        var creates: [(position: Int, draft: ContactDraft)] = []
        var lookedUp: [(position: Int, contact: String)] = []  // planned as creates then, found by the lookup now
        for position in resumed {
            switch plan.records[position].action {
            case .create(let draft): creates.append((position, draft))
            case .update(let id, _, _, _), .unchanged(let id, _):
                plan.note(note, at: position)
                if journal.resumedCreates.contains(plan.records[position].id) { lookedUp.append((position, id)) }
            default: break
            }
        }
        if !lookedUp.isEmpty {
            // The stopped attempt's create went through when the contact was created since it was sent.
            let contacts = try await SearchContactIndex(client: client).contacts(ids: lookedUp.map(\.contact))
            let earliest = (journal.resumedInFlightSince ?? .distantPast).addingTimeInterval(-CreatedContactFinder.clockSkew)
            for (position, id) in lookedUp {
                if let contact = contacts[id.lowercased()], contact.creationTime >= earliest {
                    plan.markCreatedEarlier(at: position, state: ContactState.fingerprint(contact))
                }
            }
        }
        guard !creates.isEmpty else { return }
        let (store, run) = (journal.store, journal.runID)
        let found = try await CreatedContactFinder(client: client).find(
            creates.map(\.draft), since: journal.resumedInFlightSince ?? .distantPast, claims: claims,
            owned: { ids in try await store.journaledContacts(run: run, among: ids) })
        let planner = Planner(policy: configuration.policy)
        for ((position, draft), contact) in zip(creates, found) {
            guard let contact else { continue }
            plan.replace(planner.plan(draft, match: .one(contact, key: draft.phone == nil ? .email : .phone)), at: position, note: note)
            plan.markCreatedEarlier(at: position, state: ContactState.fingerprint(contact))
        }
    }

    /// The planner for this run's keys, strategy and policy.
    private func windowPlanner(
        earlierWindowDuplicates: WindowPlanner.EarlierWindowDuplicates, choices: ChoiceOptions, index: WindowPlanner.SourceIndex?
    ) async throws -> WindowPlanner {
        let estimate = configuration.files.reduce(0) { total, file in total + Self.recordEstimate(file) }
        // A trusted index leaves only the changed records to look up: searching them beats fetching the workspace.
        let strategy = configuration.dedup == .auto && index?.trusted == true ? .search : configuration.dedup
        let matcher = try await ContactMatcher.make(keys: configuration.matchKeys, strategy: strategy, client: client, expectedRecords: estimate)
        var planner = WindowPlanner(
            mapper: Mapper(mapping: configuration.mapping, strictPhones: configuration.strictPhones),
            planner: Planner(policy: configuration.policy), matcher: matcher, earlierWindowDuplicates: earlierWindowDuplicates, choices: choices)
        planner.sourceIndex = index
        return planner
    }

    /// A rough record count from the input's size (for choosing the lookup strategy); an input that
    /// cannot be opened counts for one, and becomes a reject when it is read.
    static func recordEstimate(_ path: String) -> Int {
        Int(InputFile.expectedSize(of: path) / 200) + 1
    }
}
