import HatifAPI

/// The import pipeline: read → map → match (batched) → plan, and in a dry run, report without writing.
public struct Pipeline: Sendable {
    /// How a run is set up; every member has a documented default.
    public struct Configuration: Sendable {
        /// Input files, read in order.
        public var files: [String]
        /// The mapping.
        public var mapping: MappingFile
        /// How to read the files.
        public var readerOptions: ReaderOptions
        /// Match keys, in order. Default `[phone]`.
        public var matchKeys: [MatchKey]
        /// Lookup strategy. Default `auto`.
        public var dedup: DedupStrategy
        /// Plan policy. Default update / conflict.
        public var policy: PlanPolicy
        /// Records per lookup batch. Default 500.
        public var batchSize: Int

        public init(
            files: [String], mapping: MappingFile, readerOptions: ReaderOptions = ReaderOptions(), matchKeys: [MatchKey] = [.phone],
            dedup: DedupStrategy = .auto, policy: PlanPolicy = PlanPolicy(), batchSize: Int = 500
        ) {
            self.files = files
            self.mapping = mapping
            self.readerOptions = readerOptions
            self.matchKeys = matchKeys
            self.dedup = dedup
            self.policy = policy
            self.batchSize = max(1, batchSize)
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
        let propertyPlan = try await PropertySync(client: client, mapping: configuration.mapping).plan()
        report.propertiesToCreate(propertyPlan.toCreate.map(\.name))
        let estimate = try configuration.files.reduce(0) { total, file in total + (try Self.recordEstimate(file)) }
        let matcher = try await ContactMatcher.make(
            keys: configuration.matchKeys, strategy: configuration.dedup, client: client, expectedRecords: estimate)
        let mapper = Mapper(mapping: configuration.mapping)
        let planner = Planner(policy: configuration.policy)
        // Records in file order; rejects wait in the batch so the plan keeps that order.
        var batch: [(draft: ContactDraft?, entry: PlanEntry?)] = []
        var drafts = 0

        func flush() async throws {
            guard !batch.isEmpty else { return }
            let found = batch.compactMap(\.draft)
            var matches = try await matcher.match(found).makeIterator()
            for pending in batch {
                if let entry = pending.entry {
                    try report.append(entry)
                } else if let draft = pending.draft, let match = matches.next() {
                    try report.append(
                        PlanEntry(planner.plan(draft, match: match), location: draft.location, ordinal: draft.ordinal, notes: draft.notes))
                }
            }
            batch.removeAll(keepingCapacity: true)
            drafts = 0
        }

        var duplicates = InFileDuplicates(keys: configuration.matchKeys)
        for (fileIndex, file) in configuration.files.enumerated() {
            var reader = try configuration.readerOptions.open(file)
            while let item = try reader.next() {
                switch item {
                case .reject(let unreadable):
                    batch.append((nil, PlanEntry(.reject(RecordReject(unreadable)), location: unreadable.location, ordinal: unreadable.ordinal)))
                case .record(let record):
                    switch mapper.map(record) {
                    case .success(let draft):
                        if let earlier = duplicates.earlierRecord(for: draft, fileIndex: fileIndex) {
                            let (index, ordinal) = InFileDuplicates.unpack(earlier)
                            let action = PlannedAction.merged(into: RecordReference(file: configuration.files[index], ordinal: ordinal), draft: draft)
                            batch.append((nil, PlanEntry(action, location: draft.location, ordinal: draft.ordinal, notes: draft.notes)))
                        } else {
                            batch.append((draft, nil))
                            drafts += 1
                        }
                    case .failure(let reject):
                        batch.append((nil, PlanEntry(.reject(reject), location: reject.location, ordinal: reject.ordinal)))
                    }
                }
                if drafts >= configuration.batchSize || batch.count >= configuration.batchSize * 4 { try await flush() }
            }
        }
        try await flush()
        try report.finish()
        return report.summary
    }

    /// A rough record count from the file size (for choosing the lookup strategy).
    static func recordEstimate(_ path: String) throws -> Int {
        let size = try InputFile(path: path).size
        return Int(size / 200) + 1
    }
}
