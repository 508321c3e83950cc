import Foundation

/// Reads, maps and validates input files without any network: what `hatif-import validate` runs.
public struct OfflineValidation: Sendable {
    /// What a validation found.
    public struct Summary: Sendable, Codable, Equatable {
        /// One reject reason and how often it occurred.
        public struct Reason: Sendable, Codable, Equatable {
            public var reason: String
            public var count: Int
            /// The first reject with this reason, as `file:line field "value"`.
            public var example: String
        }

        /// Records read (rejects included).
        public var records = 0
        /// Records that map to a valid contact draft.
        public var valid = 0
        /// Records the readers could not read.
        public var unreadable = 0
        /// Records the mapping rejected.
        public var rejected = 0
        /// Valid drafts that carry notes (a dropped phone, a lenient read).
        public var withNotes = 0
        /// The most frequent reject reasons, most frequent first.
        public var topReasons: [Reason] = []

        /// All rejects.
        public var rejects: Int { unreadable + rejected }
    }

    private let mapper: ParallelMapper
    private let readerOptions: ReaderOptions

    /// Creates a validation; `strictPhones` as in ``Pipeline/Configuration/strictPhones``; `tasks` maps on
    /// that many cores (default: every active processor).
    public init(
        mapping: MappingFile, readerOptions: ReaderOptions = ReaderOptions(), strictPhones: Bool = false,
        tasks: Int = ProcessInfo.processInfo.activeProcessorCount
    ) {
        self.mapper = ParallelMapper(mapper: Mapper(mapping: mapping, strictPhones: strictPhones), tasks: tasks)
        self.readerOptions = readerOptions
    }

    /// Validates `files` in order, writing every reject to `rejects` when given. A window is mapped on
    /// every core while the next one is read.
    public func run(files: [String], rejects: RejectsFile? = nil, topReasons: Int = 10) async throws -> Summary {
        var summary = Summary()
        var reasons: [String: (count: Int, example: String)] = [:]
        func count(_ reject: RecordReject) {
            let key = reject.field.map { "\($0): \(reject.reason)" } ?? reject.reason
            if reasons[key] == nil { reasons[key] = (0, "\(reject)") }
            reasons[key]!.count += 1
        }
        var source = RecordSource(files: files, options: readerOptions, windowSize: mapper.isParallel ? 4_000 : 1_000)
        var window = try source.nextWindow()
        while let current = window {
            // Mapped on every core while the next window is read; a mapping without phones, record by record.
            let parallel = self.mapper
            async let mapping = parallel.isParallel ? parallel.map(current) : nil
            let upcoming: Result<RecordWindow?, any Error>
            do { upcoming = .success(try source.nextWindow()) } catch { upcoming = .failure(error) }
            let mapped = await mapping
            for (index, (_, item)) in current.items.enumerated() {
                summary.records += 1
                switch item {
                case .reject(let unreadable):
                    summary.unreadable += 1
                    let reject = RecordReject(unreadable)
                    count(reject)
                    try rejects?.append(reject, record: nil, excerpt: unreadable.excerpt)
                case .record(let record):
                    switch mapped?[index] ?? parallel.mapper.map(record) {
                    case .success(let draft):
                        summary.valid += 1
                        if !draft.notes.isEmpty || !record.notes.isEmpty { summary.withNotes += 1 }
                    case .failure(let reject):
                        summary.rejected += 1
                        count(reject)
                        try rejects?.append(reject, record: record)
                    }
                }
            }
            window = try upcoming.get()
        }
        try rejects?.close()
        summary.topReasons = reasons.map { Summary.Reason(reason: $0.key, count: $0.value.count, example: $0.value.example) }
            .sorted { ($0.count, $1.reason) > ($1.count, $0.reason) }
            .prefix(topReasons).map { $0 }
        return summary
    }
}
