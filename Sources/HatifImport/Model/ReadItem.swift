/// What a reader yields: a record, or a reject in its place.
public enum ReadItem: Sendable, Hashable {
    /// A record that was read.
    case record(SourceRecord)
    /// A record that could not be read.
    case reject(SourceReject)

    /// The ordinal of either.
    public var ordinal: Int {
        switch self {
        case .record(let record): record.ordinal
        case .reject(let reject): reject.ordinal
        }
    }

    /// The location of either.
    public var location: SourceLocation {
        switch self {
        case .record(let record): record.location
        case .reject(let reject): reject.location
        }
    }
}
