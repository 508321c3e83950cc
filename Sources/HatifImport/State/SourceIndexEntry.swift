/// What the source index knows of one match-key value of a source: a hash of the draft last written for
/// it, the contact it is in, and the last run that saw it. An incremental run trusts it: the same key
/// with the same hash is unchanged without a lookup.
public struct SourceIndexEntry: Sendable, Hashable {
    /// `phone:+966501234567`, `email:…` or `property:crm_id:…`: the record's first match key with a value.
    public var key: String
    /// ``DraftFingerprint`` of the mapped draft (and the plan policy).
    public var hash: Int64
    public var contact: String
    public var run: Int64

    /// The hash of an entry no draft matches: its record is looked up again (after an undo).
    public static let untrusted: Int64 = 0
    /// The hash of an entry whose contact `--on-missing flag` marked missing.
    public static let flagged: Int64 = 1

    public init(key: String, hash: Int64, contact: String, run: Int64) {
        self.key = key
        self.hash = hash
        self.contact = contact
        self.run = run
    }
}
