import HatifAPI

/// A field that identifies a contact across the input and the workspace.
public enum MatchKey: Sendable, Hashable, CustomStringConvertible {
    /// The E.164 phone number (the default).
    case phone
    /// The email address, compared without case.
    case email
    /// A property acting as an external id, e.g. `property:crm_id`.
    case property(String)

    /// Parses `phone`, `email` or `property:<name>`.
    public init?(_ text: String) {
        switch text.lowercased() {
        case "phone", "phonenumber": self = .phone
        case "email": self = .email
        default:
            guard text.hasPrefix("property:"), text.count > 9 else { return nil }
            self = .property(String(text.dropFirst(9)))
        }
    }

    public var description: String {
        switch self {
        case .phone: "phone"
        case .email: "email"
        case .property(let name): "property:\(name)"
        }
    }

    /// The `Field` of Search Contacts [Complex] for this key.
    var searchField: String {
        switch self {
        case .phone: "PhoneNumber"
        case .email: "Email"
        case .property(let name): "property:\(name)"
        }
    }

    /// The draft's value for this key, normalised for comparison.
    public func value(of draft: ContactDraft) -> String? {
        switch self {
        case .phone: draft.phone?.e164
        case .email: draft.email?.lowercasedIfNeeded
        case .property(let name): draft.properties[name]
        }
    }

    /// The workspace contact's value for this key, normalised for comparison.
    public func value(of contact: ContactDto) -> String? {
        switch self {
        case .phone: contact.phoneNumber
        case .email: contact.email?.lowercasedIfNeeded
        case .property(let name): contact.properties.first { $0.name == name }?.value
        }
    }
}

/// One key with one value: what a lookup is made of.
public struct MatchKeyValue: Sendable, Hashable {
    public var key: MatchKey
    public var value: String

    public init(_ key: MatchKey, _ value: String) {
        self.key = key
        self.value = value
    }
}
