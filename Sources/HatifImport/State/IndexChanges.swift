/// What a window changes in its source's index, committed with its journal entries.
public struct IndexChanges: Sendable {
    /// Entries written or confirmed by the run (their `run` is the run's id).
    public var upserts: [SourceIndexEntry] = []
    /// Keys of records the run read but did not settle in a contact (in conflict, failed): their entries,
    /// when the index has them, are marked seen by the run, so `--on-missing` does not take their contacts
    /// for gone.
    public var seen: [String] = []
    /// Keys whose entries are removed (their contact was deleted).
    public var removed: [String] = []
    /// Marks every entry of the source untrusted (after an undo put contacts back as they were): the next
    /// incremental run looks each record up once.
    public var distrustAll = false

    public init(upserts: [SourceIndexEntry] = [], seen: [String] = [], removed: [String] = [], distrustAll: Bool = false) {
        self.upserts = upserts
        self.seen = seen
        self.removed = removed
        self.distrustAll = distrustAll
    }

    /// Whether it changes nothing.
    public var isEmpty: Bool { upserts.isEmpty && seen.isEmpty && removed.isEmpty && !distrustAll }
}
