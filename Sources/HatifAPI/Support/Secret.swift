/// A secret string (client secret, access token) that never prints itself.
///
/// `description`, `debugDescription` and string interpolation give `<redacted>`, so a secret that slips into
/// a log line, an error or a report leaks nothing. Read the value only where it goes on the wire.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The secret itself: use only to build a request.
    public let revealed: String

    /// Wraps a secret value.
    public init(_ value: String) { self.revealed = value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
