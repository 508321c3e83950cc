import HatifAPI

/// A compiled Search Contacts [Complex] request: groups joined by OR of filters joined by AND.
struct ContactSearch: Sendable {
    static let maxGroups = 10
    static let maxFilters = 10
    static let maxValues = 100

    enum Field: Sendable {
        case phoneNumber, email, firstName, lastName, id
        case property(id: String)
    }

    struct Filter: Sendable {
        var field: Field
        var op: Components.Schemas.SearchOperator
        /// The values compared against: one for Equals/NotEquals/Contains/StartsWith, several for In.
        var values: [String]
    }

    let groups: [[Filter]]

    init(input: SearchContactsInput, propertyIDsByName: [String: String]) throws {
        guard (1...Self.maxGroups).contains(input.filterGroups.count) else {
            throw SandboxError.validation(
                "Search.TooManyGroups", "A search takes 1 to \(Self.maxGroups) filter groups.", members: ["FilterGroups"])
        }
        groups = try input.filterGroups.enumerated().map { groupIndex, group in
            guard (1...Self.maxFilters).contains(group.filters.count) else {
                throw SandboxError.validation(
                    "Search.TooManyFilters", "A filter group takes 1 to \(Self.maxFilters) filters.",
                    members: ["FilterGroups[\(groupIndex)].Filters"])
            }
            return try group.filters.enumerated().map { filterIndex, filter in
                try Self.compile(
                    filter, member: "FilterGroups[\(groupIndex)].Filters[\(filterIndex)]",
                    propertyIDsByName: propertyIDsByName)
            }
        }
    }

    private static func compile(_ filter: SearchFilter, member: String, propertyIDsByName: [String: String]) throws
        -> Filter
    {
        let field: Field
        switch filter.field {
        case "PhoneNumber": field = .phoneNumber
        case "Email": field = .email
        case "FirstName": field = .firstName
        case "LastName": field = .lastName
        case "Id": field = .id
        case let name where name.hasPrefix("property:"):
            let propertyName = String(name.dropFirst("property:".count)).lowercased()
            guard let id = propertyIDsByName[propertyName] else {
                throw SandboxError.validation(
                    "Search.UnknownField", "There is no property named \(propertyName).", members: ["\(member).Field"])
            }
            field = .property(id: id)
        default:
            throw SandboxError.validation(
                "Search.UnknownField", "Unknown field \(filter.field).", members: ["\(member).Field"])
        }
        var values: [String]
        switch filter._operator {
        case .equals, .notEquals, .contains, .startsWith:
            guard let value = filter.value else {
                throw SandboxError.validation(
                    "Search.MissingValue", "\(filter._operator.rawValue) needs a Value.", members: ["\(member).Value"])
            }
            values = [value]
        case ._in:
            guard let list = filter.values, !list.isEmpty, list.count <= maxValues else {
                throw SandboxError.validation(
                    "Search.InvalidValues", "In needs 1 to \(maxValues) Values.", members: ["\(member).Values"])
            }
            values = list
        case .isEmpty, .isNotEmpty:
            values = []
        }
        if case .email = field { values = values.map { $0.lowercased() } }
        return Filter(field: field, op: filter._operator, values: values)
    }

    /// Ids worth testing when every group can be answered from the phone or email index (or ids); nil when
    /// some group needs a scan of all contacts.
    func candidateIDs(phoneIndex: [String: [String]], emailIndex: [String: [String]]) -> Set<String>? {
        var ids = Set<String>()
        for group in groups {
            let indexed = group.first { (filter: Filter) -> Bool in
                guard filter.op == .equals || filter.op == ._in else { return false }
                switch filter.field {
                case .phoneNumber, .email, .id: return true
                default: return false
                }
            }
            guard let indexed else { return nil }
            for value in indexed.values {
                switch indexed.field {
                case .phoneNumber: ids.formUnion(phoneIndex[value] ?? [])
                case .email: ids.formUnion(emailIndex[value] ?? [])
                default: ids.insert(value)
                }
            }
        }
        return ids
    }

    func matches(_ contact: StoredContact) -> Bool {
        groups.contains { group in group.allSatisfy { Self.matches($0, contact) } }
    }

    private static func matches(_ filter: Filter, _ contact: StoredContact) -> Bool {
        var value: String?
        switch filter.field {
        case .phoneNumber: value = contact.phoneNumber
        case .email: value = contact.email?.lowercased()
        case .firstName: value = contact.firstName
        case .lastName: value = contact.lastName
        case .id: value = contact.id
        case .property(let id): value = contact.values[id]
        }
        switch filter.op {
        case .equals: return value == filter.values.first
        case .notEquals: return value != filter.values.first
        case ._in: return value.map(filter.values.contains) ?? false
        case .contains:
            guard let value, let needle = filter.values.first else { return false }
            return value.lowercased().contains(needle.lowercased())
        case .startsWith:
            guard let value, let needle = filter.values.first else { return false }
            return value.lowercased().hasPrefix(needle.lowercased())
        case .isEmpty: return value?.isEmpty ?? true
        case .isNotEmpty: return !(value?.isEmpty ?? true)
        }
    }
}
