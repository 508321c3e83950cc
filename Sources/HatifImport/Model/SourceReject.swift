/// A record that could not be read, with where and why; the reader goes on after it.
public struct SourceReject: Sendable, Hashable, Error, CustomStringConvertible {
    /// 1-based position of the record in its file.
    public var ordinal: Int
    /// Where the broken record starts.
    public var location: SourceLocation
    /// Why it was rejected, in words a user can act on.
    public var reason: String
    /// The start of the raw record, for the rejects file (at most a few hundred characters).
    public var excerpt: String

    /// Creates a reject.
    public init(ordinal: Int, location: SourceLocation, reason: String, excerpt: String = "") {
        self.ordinal = ordinal
        self.location = location
        self.reason = reason
        self.excerpt = excerpt
    }

    public var description: String { "\(location) \(reason)" }
}
