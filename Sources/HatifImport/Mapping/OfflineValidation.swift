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
        /// The mapping's source fields that no record had (a typo, another case, a column the export
        /// left out): they mapped nothing. Empty when no record was read.
        public var unmatchedSources: [String] = []
        /// What the readers noticed about the inputs, each as `path: notice` (a fallback encoding, lines
        /// before a CSV's table, sheets not read).
        public var inputNotices: [String] = []

        /// All rejects.
        public var rejects: Int { unreadable + rejected }
    }

    private let mapper: ParallelMapper
    private let readerOptions: ReaderOptions

    /// What one chunk of a window found: its counts, its reject reasons, and its rows of `rejects.csv`
    /// one after the other (none when no file is written).
    private struct Tally: Sendable {
        var summary = Summary()
        /// Each reason's count and its first reject in the chunk.
        var reasons: [String: (count: Int, example: String)] = [:]
        var rows: [UInt8] = []

        /// Counts `reject` under its reason.
        mutating func count(_ reject: RecordReject) {
            let key = reject.field.map { "\($0): \(reject.reason)" } ?? reject.reason
            if let known = reasons[key] {
                reasons[key] = (known.count + 1, known.example)
            } else {
                reasons[key] = (1, "\(reject)")
            }
        }
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
    /// every core while the rows of the window before it are written and the next one is read.
    public func run(files: [String], rejects: RejectsFile? = nil, topReasons: Int = 10) async throws -> Summary {
        var summary = Summary()
        var reasons: [String: (count: Int, example: String)] = [:]
        var source = RecordSource(files: files, options: readerOptions, windowSize: 4_000)
        var window = try source.nextWindow()
        let writing = rejects != nil
        let redactor = rejects?.redactor
        /// Adds the counts of a window's chunks and writes their rows, in order.
        func add(_ tallies: [Tally]) throws {
            for tally in tallies {
                summary.records += tally.summary.records
                summary.valid += tally.summary.valid
                summary.withNotes += tally.summary.withNotes
                summary.unreadable += tally.summary.unreadable
                summary.rejected += tally.summary.rejected
                for (key, found) in tally.reasons {
                    reasons[key] = ((reasons[key]?.count ?? 0) + found.count, reasons[key]?.example ?? found.example)
                }
                try rejects?.append(rows: tally.rows, count: tally.summary.rejects)
            }
        }
        // The chunks of the window mapped last, whose rows are written while the next window is mapped.
        var mapped: [Tally] = []
        // The window mapped last, whose records are freed while the next window is mapped: freed as the loop
        // went round, they were 4% of a CSV `validate`'s CPU spent while the other cores waited.
        var retired: RecordWindow?
        while let current = window {
            // A window is mapped, and its reject rows made, in chunks on every core while this task writes
            // the rows of the window before and reads the next window: a task that wrote between two
            // windows left the other cores idle meanwhile.
            let mapper = self.mapper.mapper
            async let checked = self.mapper.inChunks(current.items) { chunk -> Tally in
                var tally = Tally()
                var positions = SourcePositions()
                var keys = OriginalKeys()
                for index in chunk.indices {
                    tally.summary.records += 1
                    switch chunk[index].item {
                    case .reject(let unreadable):
                        let reject = RecordReject(unreadable)
                        tally.summary.unreadable += 1
                        tally.count(reject)
                        if writing {
                            RejectsFile.appendRow(
                                reject, record: nil, excerpt: unreadable.excerpt, redactor: redactor, keys: &keys, to: &tally.rows)
                        }
                    case .record(let record):
                        switch mapper.map(record, positions: &positions) {
                        case .success(let draft):
                            tally.summary.valid += 1
                            if !draft.notes.isEmpty || !record.notes.isEmpty { tally.summary.withNotes += 1 }
                        case .failure(let reject):
                            tally.summary.rejected += 1
                            tally.count(reject)
                            if writing {
                                RejectsFile.appendRow(reject, record: record, excerpt: nil, redactor: redactor, keys: &keys, to: &tally.rows)
                            }
                        }
                    }
                }
                return tally
            }
            // Held to here, so that the optimizer cannot free it sooner, and freed now.
            withExtendedLifetime(retired) {}
            retired = nil
            try add(mapped)
            mapped = []
            let upcoming: Result<RecordWindow?, any Error>
            do { upcoming = .success(try source.nextWindow()) } catch { upcoming = .failure(error) }
            mapped = await checked
            if case .failure = upcoming {
                // What was read before the failure is counted and written first.
                try add(mapped)
                mapped = []
            }
            retired = current
            window = try upcoming.get()
        }
        retired = nil
        try add(mapped)
        try rejects?.close()
        if summary.records > summary.unreadable { summary.unmatchedSources = self.mapper.mapper.unmatchedSources }
        summary.inputNotices = source.notices
        summary.topReasons = reasons.map { Summary.Reason(reason: $0.key, count: $0.value.count, example: $0.value.example) }
            .sorted { ($0.count, $1.reason) > ($1.count, $0.reason) }
            .prefix(topReasons).map { $0 }
        return summary
    }
}
