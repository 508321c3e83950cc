/// One field a plan would change on a contact: a standard field (`FirstName`) or `property:<name>`.
public struct FieldChange: Sendable, Hashable, Codable {
    public var field: String
    public var old: String?
    public var new: String?

    public init(field: String, old: String?, new: String?) {
        self.field = field
        self.old = old
        self.new = new
    }
}
