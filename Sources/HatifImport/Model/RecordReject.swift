/// A record that will not be imported, with where, which field and why; the run goes on without it.
public struct RecordReject: Sendable, Hashable, Error, CustomStringConvertible {
    /// The record's ordinal in its file.
    public var ordinal: Int
    /// Where it starts.
    public var location: SourceLocation
    /// The source field at fault, if one is.
    public var field: String?
    /// The value at fault, if any.
    public var value: String?
    /// Why, in words a user can act on.
    public var reason: String

    /// Creates a reject.
    public init(ordinal: Int, location: SourceLocation, field: String? = nil, value: String? = nil, reason: String) {
        self.ordinal = ordinal
        self.location = location
        self.field = field
        self.value = value
        self.reason = reason
    }

    /// A reader's reject as a record reject.
    public init(_ reject: SourceReject) {
        self.init(ordinal: reject.ordinal, location: reject.location, reason: reject.reason)
    }

    /// `contacts.csv:1043 Phone "12345": not a valid number for SA`.
    public var description: String {
        var text = "\(location)"
        if let field { text += " \(field)" }
        if let value { text += " \"\(value.count > 60 ? String(value.prefix(60)) + "…" : value)\"" }
        return text + ": " + reason
    }
}
