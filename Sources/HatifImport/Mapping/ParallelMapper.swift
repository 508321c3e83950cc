import Foundation

/// Maps records on every core: a window's records are cut into one chunk per task of a bounded task
/// group, and the drafts (or rejects) come back in input order. Mapping is a pure function of the record
/// (libphonenumber's `PhoneNumberUtil` is thread-safe), so the answers are those of ``Mapper/map(_:)`` one
/// record after the other; only the cores used change.
public struct ParallelMapper: Sendable {
    /// The mapper each task uses.
    public let mapper: Mapper
    /// Tasks at most. Default: the active processors.
    public let tasks: Int
    /// Whether it maps on more than one task (else mapping record by record, in place, costs less).
    public var isParallel: Bool { tasks > 1 }
    /// Fewer records than this per task are not worth a task of their own.
    static let minimumChunk = 32

    /// Creates a mapper over `tasks` tasks (default: one per active processor). A mapping without phones
    /// maps on one: its records cost about a microsecond, less than handing them to another task
    /// (measured on 1,000,000 records mapped to a first name and an e-mail: 11.0 s on one task, 12.7 s on
    /// two), while libphonenumber costs tens of microseconds a number.
    public init(mapper: Mapper, tasks: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.mapper = mapper
        self.tasks = mapper.mapping.fields.contains { $0.target == .phoneNumber } ? max(1, tasks) : 1
    }

    /// The mapping of each record, in order; nil where `records` holds nil (an unreadable record).
    public func map(_ records: [SourceRecord?]) async -> [Result<ContactDraft, RecordReject>?] {
        let mapper = self.mapper
        let chunks = min(tasks, max(1, records.count / Self.minimumChunk))
        guard chunks > 1 else { return records.map { $0.map(mapper.map) } }
        let size = (records.count + chunks - 1) / chunks
        return await withTaskGroup(of: (Int, [Result<ContactDraft, RecordReject>?]).self) { group in
            for start in stride(from: 0, to: records.count, by: size) {
                let chunk = records[start..<min(records.count, start + size)]
                group.addTask { (start, chunk.map { $0.map(mapper.map) }) }
            }
            var results = [Result<ContactDraft, RecordReject>?](repeating: nil, count: records.count)
            for await (start, mapped) in group {
                results.replaceSubrange(start..<start + mapped.count, with: mapped)
            }
            return results
        }
    }

    /// The mapping of each item of a window, in order; nil for an unreadable record.
    func map(_ window: RecordWindow) async -> [Result<ContactDraft, RecordReject>?] {
        await map(window.items.map { item -> SourceRecord? in
            if case .record(let record) = item.item { return record }
            return nil
        })
    }
}
