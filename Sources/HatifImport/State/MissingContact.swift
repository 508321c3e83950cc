/// A contact that earlier committed runs of a source wrote and that the current run's input no longer
/// holds: one source-index entry of it (the first by key), and whether a run flagged it already.
public struct MissingContact: Sendable, Hashable {
    public var contact: String
    /// The entry's key (`phone:+966…`).
    public var key: String
    /// The last run that saw it.
    public var run: Int64
    /// Flagged by an earlier `--on-missing flag` run.
    public var flagged: Bool

    public init(contact: String, key: String, run: Int64, flagged: Bool) {
        self.contact = contact
        self.key = key
        self.run = run
        self.flagged = flagged
    }
}

extension MissingContact {
    /// How reports name the place of a contact gone from the source (it has no line in any input).
    public static let fileLabel = "(gone from the source)"
}
