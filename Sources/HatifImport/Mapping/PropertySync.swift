import HatifAPI

/// Makes the workspace's Contact Properties fit the mapping: lists them all, finds the ones the mapping
/// needs that are missing, and stops — before any contact is written — when an existing property has
/// another type or, for a closed choice list, lacks an option the mapping needs (an open list gets them).
public struct PropertySync: Sendable {
    /// What the workspace needs.
    public struct Plan: Sendable, Equatable {
        /// Properties to create, in name order.
        public var toCreate: [CreateContactPropertyInput]
        /// Properties the mapping needs that exist already and fit, by name.
        public var existing: [String: ContactPropertyDto]
        /// Options the mapping lists that existing open choice lists lack, by property name.
        public var optionsToAdd: [String: [String]] = [:]
        /// The id of every property the workspace had, the mapping's or not, by name.
        public var workspaceIDs: [String: String] = [:]

        /// Every property the mapping needs as it will be once the plan is applied, by name (a property
        /// still to create has no id).
        public var properties: [String: ContactPropertyDto] {
            var all = existing
            for (name, options) in optionsToAdd { all[name]?.options += options }
            for input in toCreate {
                all[input.name] = ContactPropertyDto(
                    id: "", name: input.name, displayName: input.displayName, _type: input._type, options: input.options ?? [],
                    isSystem: false, creationTime: .distantPast)
            }
            return all
        }
    }

    private let client: HatifClient
    private let mapping: MappingFile

    /// Creates a sync for `mapping` over `client`.
    public init(client: HatifClient, mapping: MappingFile) {
        self.client = client
        self.mapping = mapping
    }

    /// Compares the workspace with the mapping (reads only).
    public func plan() async throws -> Plan {
        let workspace = try await client.allContactProperties()
        let byName = Dictionary(workspace.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        var toCreate: [CreateContactPropertyInput] = []
        var existing: [String: ContactPropertyDto] = [:]
        var optionsToAdd: [String: [String]] = [:]
        for (name, wanted) in mapping.properties.sorted(by: { $0.key < $1.key }) {
            guard let found = byName[name.lowercased()] else {
                toCreate.append(
                    CreateContactPropertyInput(
                        name: name, displayName: wanted.displayName ?? Self.displayName(for: name), _type: wanted.type,
                        options: wanted.options))
                continue
            }
            guard found._type == wanted.type else {
                throw PropertySyncError.incompatibleType(name: found.name, existing: found._type, wanted: wanted.type)
            }
            let missing = (wanted.options ?? []).filter { option in
                !found.options.contains { $0.caseInsensitiveCompare(option) == .orderedSame }
            }
            if !missing.isEmpty {
                guard mapping.growsOptions(of: name) else { throw PropertySyncError.missingOptions(name: found.name, options: missing) }
                optionsToAdd[name] = missing
            }
            existing[name] = found
        }
        return Plan(
            toCreate: toCreate, existing: existing, optionsToAdd: optionsToAdd,
            workspaceIDs: Dictionary(workspace.map { ($0.name, $0.id) }, uniquingKeysWith: { first, _ in first }))
    }

    /// Creates what `plan` found missing; a property created meanwhile by someone else (409) is accepted
    /// when it fits. Returns every property the mapping needs, by name.
    @discardableResult
    public func apply(_ plan: Plan) async throws -> [String: ContactPropertyDto] {
        var all = plan.existing
        for input in plan.toCreate {
            do {
                all[input.name] = try await client.createContactProperty(input)
            } catch let error as HatifAPIError where error.status == 409 {
                let again = try await self.plan()
                guard let found = again.existing[input.name] else { throw error }
                all[input.name] = found
            }
        }
        return try await addOptions(plan.optionsToAdd, to: all)
    }

    /// Adds `options` (by property name) to the workspace's choice lists, each with one Update Contact
    /// Property carrying the options it has now (listed again first, so that options someone else added
    /// meanwhile stay) and the new ones. Returns `properties` with the lists updated.
    public func addOptions(_ options: [String: [String]], to properties: [String: ContactPropertyDto]) async throws -> [String: ContactPropertyDto] {
        var all = properties
        let wanted = options.filter { !$0.value.isEmpty }
        guard !wanted.isEmpty else { return all }
        let workspace = try await client.allContactProperties()
        for (name, new) in wanted.sorted(by: { $0.key < $1.key }) {
            guard let current = workspace.first(where: { $0.name.caseInsensitiveCompare(name) == .orderedSame }) else { continue }
            var list = current.options
            for option in new where !list.contains(where: { $0.caseInsensitiveCompare(option) == .orderedSame }) { list.append(option) }
            guard list.count > current.options.count else {
                all[name] = current
                continue
            }
            all[name] = try await client.updateContactProperty(
                id: current.id, UpdateContactPropertyInput(displayName: current.displayName, options: list))
        }
        return all
    }

    /// `loyalty_tier` → `Loyalty tier`.
    static func displayName(for name: String) -> String {
        let words = name.split(separator: "_").joined(separator: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }
}

/// Why the workspace's properties do not fit the mapping; nothing has been written when this is thrown.
public enum PropertySyncError: Error, Sendable, Equatable, CustomStringConvertible {
    case incompatibleType(name: String, existing: ContactPropertyType, wanted: ContactPropertyType)
    case missingOptions(name: String, options: [String])

    public var description: String {
        switch self {
        case .incompatibleType(let name, let existing, let wanted):
            "Property \(name) exists in the workspace as \(existing.rawValue), but the mapping needs \(wanted.rawValue). Change the mapping's type or map to another property; no contact was written."
        case .missingOptions(let name, let options):
            "Property \(name) lacks the options \(options.joined(separator: ", ")) that the mapping needs. Add them in Hatif or map the values to existing options; no contact was written."
        }
    }
}
