import HatifAPI

/// What the workspace holds for one draft.
public enum MatchResult: Sendable, Hashable {
    /// No contact has any of the draft's keys.
    case none
    /// One contact, found by `key`.
    case one(ContactDto, key: MatchKey)
    /// Several contacts share the first key that found any: a conflict, oldest first.
    case several([ContactDto], key: MatchKey)
}

/// How contacts are found: by search per batch, or by one prefetch of the workspace.
public enum DedupStrategy: String, Sendable, CaseIterable {
    case search, prefetch
    /// Prefetch when the workspace holds fewer contacts than the input has records, else search.
    case auto
}

/// Matches drafts to workspace contacts by an ordered list of keys: the first key that finds a contact wins.
public struct ContactMatcher: Sendable {
    /// The keys, in order.
    public let keys: [MatchKey]
    private let index: any ContactIndex

    /// Creates a matcher over an index.
    public init(keys: [MatchKey] = [.phone], index: any ContactIndex) {
        self.keys = keys.isEmpty ? [.phone] : keys
        self.index = index
    }

    /// Chooses and builds the index for `strategy`; `expectedRecords` is the input's size, for `auto`.
    public static func make(
        keys: [MatchKey], strategy: DedupStrategy, client: HatifClient, expectedRecords: Int
    ) async throws -> ContactMatcher {
        var chosen = strategy
        if strategy == .auto {
            let workspace = try await client.getContacts(skip: 0, max: 1).totalCount
            chosen = workspace < Int64(expectedRecords) ? .prefetch : .search
        }
        switch chosen {
        case .prefetch: return ContactMatcher(keys: keys, index: try await PrefetchedContactIndex.load(client: client, keys: keys))
        default: return ContactMatcher(keys: keys, index: SearchContactIndex(client: client))
        }
    }

    /// The match of every draft, in order, with one round of lookups for the whole batch.
    public func match(_ drafts: [ContactDraft]) async throws -> [MatchResult] {
        var wanted = Set<MatchKeyValue>(minimumCapacity: drafts.count * keys.count)  // no rehashing while it fills
        for draft in drafts {
            for key in keys { if let value = key.value(of: draft) { wanted.insert(MatchKeyValue(key, value)) } }
        }
        let found = wanted.isEmpty ? [:] : try await index.contacts(for: wanted)
        return drafts.map { draft in
            for key in keys {
                guard let value = key.value(of: draft), let contacts = found[MatchKeyValue(key, value)], !contacts.isEmpty else {
                    continue
                }
                let ordered = contacts.sorted { ($0.creationTime, $0.id) < ($1.creationTime, $1.id) }
                return ordered.count == 1 ? .one(ordered[0], key: key) : .several(ordered, key: key)
            }
            return .none
        }
    }
}
