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

    /// What became of one read item, with its row of `rejects.csv` (empty when none is written).
    private enum Outcome: Sendable {
        case valid(withNotes: Bool)
        case unreadable(RecordReject, [UInt8])
        case rejected(RecordReject, [UInt8])
    }

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
        var source = RecordSource(files: files, options: readerOptions, windowSize: 4_000)
        var window = try source.nextWindow()
        let writing = rejects != nil
        let redactor = rejects?.redactor
        while let current = window {
            // A window is mapped, and its reject rows made, in chunks on every core while this task reads
            // the next window; then the rows are written in order.
            let mapper = self.mapper.mapper
            async let checked = self.mapper.inChunks(current.items) { entry -> Outcome in
                switch entry.item {
                case .reject(let unreadable):
                    let reject = RecordReject(unreadable)
                    return .unreadable(reject, writing ? RejectsFile.row(reject, record: nil, excerpt: unreadable.excerpt, redactor: redactor) : [])
                case .record(let record):
                    switch mapper.map(record) {
                    case .success(let draft): return .valid(withNotes: !draft.notes.isEmpty || !record.notes.isEmpty)
                    case .failure(let reject):
                        return .rejected(reject, writing ? RejectsFile.row(reject, record: record, excerpt: nil, redactor: redactor) : [])
                    }
                }
            }
            let upcoming: Result<RecordWindow?, any Error>
            do { upcoming = .success(try source.nextWindow()) } catch { upcoming = .failure(error) }
            for outcome in await checked {
                summary.records += 1
                switch outcome {
                case .valid(let withNotes):
                    summary.valid += 1
                    if withNotes { summary.withNotes += 1 }
                case .unreadable(let reject, let row):
                    summary.unreadable += 1
                    count(reject)
                    try rejects?.append(row: row)
                case .rejected(let reject, let row):
                    summary.rejected += 1
                    count(reject)
                    try rejects?.append(row: row)
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
