/// One record of the input with the action planned for it, and what the outputs need to name it.
public struct PlannedRecord: Sendable {
    /// The record's identity in the run.
    public var id: RecordID
    public var location: SourceLocation
    public var action: PlannedAction
    /// What the mapping noted about the record.
    public var notes: [String]
    /// The record as read, kept for `rejects.csv` when it is rejected or fails.
    public var source: SourceRecord?
    /// The start of an unreadable record, for `rejects.csv`.
    public var excerpt: String?
    /// The record's key and draft hash for the source index; nil for a record the index does not keep
    /// (rejected, merged, without a key, or a later twin of an earlier window's record).
    public var fingerprint: DraftFingerprint?
    /// A record whose create an earlier, stopped attempt of the run made (found again on resume): the
    /// journal counts it as a create of the run, so an undo deletes the contact.
    public var createdEarlier = false
    /// The ``ContactState`` fingerprint of that contact as found.
    public var foundState: Int64?

    /// Creates a planned record.
    public init(id: RecordID, location: SourceLocation, action: PlannedAction, notes: [String] = [], source: SourceRecord? = nil, excerpt: String? = nil) {
        self.id = id
        self.location = location
        self.action = action
        self.notes = notes
        self.source = source
        self.excerpt = excerpt
    }

    /// The record's plan entry; `files` names the run's inputs (a merged record names its twin's file).
    public func entry(files: [String]) -> PlanEntry {
        PlanEntry(action, location: location, ordinal: id.ordinal, notes: notes, file: { files.indices.contains($0) ? files[$0] : "file \($0 + 1)" })
    }
}
