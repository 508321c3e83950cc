/// A place to start reading from, for resume: the byte offset of a record start, with the line and ordinal
/// that record has.
public struct ReadPosition: Sendable, Hashable, Codable {
    /// The byte offset of the record start.
    public var byteOffset: Int64
    /// Its physical line, 1-based.
    public var line: Int
    /// Its ordinal, 1-based.
    public var ordinal: Int
    /// For an input read once (standard input): a hash of the records before this one
    /// (``StreamPrefixHash``), which a resumed run checks before it skips them.
    public var prefixHash: UInt64?

    /// Creates a position.
    public init(byteOffset: Int64, line: Int, ordinal: Int, prefixHash: UInt64? = nil) {
        self.byteOffset = byteOffset
        self.line = line
        self.ordinal = ordinal
        self.prefixHash = prefixHash
    }
}
