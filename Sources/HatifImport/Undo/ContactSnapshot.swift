import HatifAPI

/// What a contact held (its standard fields and property values), kept in the journal before a run
/// deletes it so an undo can create it again.
public struct ContactSnapshot: Sendable, Hashable, Codable {
    public var firstName: String?
    public var lastName: String?
    public var phone: String?
    public var email: String?
    /// Property values by property name.
    public var properties: [String: String]

    public init(firstName: String?, lastName: String?, phone: String?, email: String?, properties: [String: String]) {
        self.firstName = firstName
        self.lastName = lastName
        self.phone = phone
        self.email = email
        self.properties = properties
    }

    /// The snapshot of a contact as the API returns it.
    public init(_ contact: ContactDto) {
        firstName = contact.firstName
        lastName = contact.lastName
        phone = contact.phoneNumber
        email = contact.email
        properties = Dictionary(contact.properties.filter { !$0.value.isEmpty }.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    }
}

extension ContactSnapshot {
    /// A draft that creates the contact again (through a bulk file, then its property values).
    func draft(ordinal: Int, location: SourceLocation) -> ContactDraft {
        ContactDraft(
            ordinal: ordinal, location: location, firstName: firstName, lastName: lastName,
            phone: phone.map { PhoneNumber(e164: $0, region: "", type: .unknown) }, email: email, properties: properties)
    }
}
