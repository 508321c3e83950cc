/// Where a mapped value goes: a standard contact field or a Contact Property.
public enum MappingTarget: Sendable, Hashable, Codable, CustomStringConvertible {
    case firstName, lastName, phoneNumber, email
    case property(String)

    /// Parses `FirstName`, `LastName`, `PhoneNumber`, `Email` or `property:<name>`.
    public init?(_ text: String) {
        switch text {
        case "FirstName": self = .firstName
        case "LastName": self = .lastName
        case "PhoneNumber": self = .phoneNumber
        case "Email": self = .email
        default:
            guard text.hasPrefix("property:"), text.count > 9 else { return nil }
            self = .property(String(text.dropFirst(9)))
        }
    }

    public var description: String {
        switch self {
        case .firstName: "FirstName"
        case .lastName: "LastName"
        case .phoneNumber: "PhoneNumber"
        case .email: "Email"
        case .property(let name): "property:\(name)"
        }
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let target = MappingTarget(text) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "target must be FirstName, LastName, PhoneNumber, Email or property:<name>, not \(text)"))
        }
        self = target
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
