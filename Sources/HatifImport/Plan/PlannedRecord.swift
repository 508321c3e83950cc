/// One record of the input with the action planned for it, and what the outputs need to name it.
public struct PlannedRecord: Sendable {
    /// Which input file (index into the run's files).
    public var fileIndex: Int
    public var ordinal: Int
    public var location: SourceLocation
    public var action: PlannedAction
    /// What the mapping noted about the record.
    public var notes: [String]
    /// The record as read, kept for `rejects.csv` when it is rejected or fails.
    public var source: SourceRecord?
    /// The start of an unreadable record, for `rejects.csv`.
    public var excerpt: String?

    /// The record's plan entry.
    public var entry: PlanEntry { PlanEntry(action, location: location, ordinal: ordinal, notes: notes) }
}
