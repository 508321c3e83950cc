import Foundation

/// Maps records on every core: a window's records are cut into a few chunks per task of a task
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
    /// Chunks per task: the task that reads the next window while this one is mapped (`validate`, the run)
    /// takes chunks too once it has read, instead of the other cores waiting for its one chunk. With one
    /// chunk per task a two-core `validate` of 1,000,000 CSV records took 0.98 s (median of six), with four
    /// 0.94 s, eight 0.95 s and sixteen 0.98 s (2026-12-04).
    static let chunksPerTask = 4

    /// Creates a mapper over `tasks` tasks (default: one per active processor), whatever the mapping: a
    /// chunk of a window is worth a task even without phones (2026-12-02, `validate` of 1,000,000 CSV records
    /// mapped to a first name and an e-mail, reject rows made in the same chunks: 3.34 s on two tasks, 3.73 s
    /// on one; it was the other way round when each reject row cost more than its record's mapping).
    public init(mapper: Mapper, tasks: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.mapper = mapper
        self.tasks = max(1, tasks)
    }

    /// The mapping of each record, in order; nil where `records` holds nil (an unreadable record).
    public func map(_ records: [SourceRecord?]) async -> [Result<ContactDraft, RecordReject>?] {
        let mapper = self.mapper
        return await inChunks(records) { chunk in
            var positions = SourcePositions()
            return chunk.map { record in record.map { mapper.map($0, positions: &positions) } }
        }.flatMap { $0 }
    }

    /// `body` of each chunk of `elements`, in order: ``chunksPerTask`` chunks per task at most, each of at
    /// least ``minimumChunk`` elements, or the whole in place when one chunk is enough.
    func inChunks<Element: Sendable, Part: Sendable>(
        _ elements: [Element], _ body: @escaping @Sendable (ArraySlice<Element>) -> Part
    ) async -> [Part] {
        let chunks = min(tasks * Self.chunksPerTask, max(1, elements.count / Self.minimumChunk))
        guard chunks > 1 else { return [body(elements[...])] }
        let size = (elements.count + chunks - 1) / chunks
        return await withTaskGroup(of: (Int, Part).self) { group in
            for (index, start) in stride(from: 0, to: elements.count, by: size).enumerated() {
                let chunk = elements[start..<min(elements.count, start + size)]
                group.addTask { (index, body(chunk)) }
            }
            var parts = [Part?](repeating: nil, count: chunks)
            for await (index, part) in group { parts[index] = part }
            return parts.compactMap { $0 }
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
