import HatifAPI

/// Everything in a sandbox workspace: what `/_sandbox/export` returns, `/_sandbox/load` takes and
/// `--data FILE` keeps.
public struct SandboxSnapshot: Codable, Sendable {
    /// The contact properties.
    public var properties: [ContactPropertyDto]
    /// The contacts, in creation order.
    public var contacts: [ContactDto]

    /// Creates a snapshot.
    public init(properties: [ContactPropertyDto] = [], contacts: [ContactDto] = []) {
        self.properties = properties
        self.contacts = contacts
    }

    enum CodingKeys: String, CodingKey {
        case properties = "Properties"
        case contacts = "Contacts"
    }
}
