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
        // The drafts are read in place, by index: a `for draft in drafts` copies each one, which retains
        // each of its strings, and that was most of this function's time.
        var wanted = Set<MatchKeyValue>(minimumCapacity: drafts.count * keys.count)  // no rehashing while it fills
        for position in drafts.indices {
            for key in keys { if let value = key.value(of: drafts[position]) { wanted.insert(MatchKeyValue(key, value)) } }
        }
        let found = wanted.isEmpty ? [:] : try await index.contacts(for: wanted)
        var results: [MatchResult] = []
        results.reserveCapacity(drafts.count)
        for position in drafts.indices { results.append(match(drafts[position], in: found)) }
        return results
    }

    /// The match of `draft` among the contacts `found` for the batch's keys.
    private func match(_ draft: borrowing ContactDraft, in found: [MatchKeyValue: [ContactDto]]) -> MatchResult {
        for key in keys {
            guard let value = key.value(of: draft), let contacts = found[MatchKeyValue(key, value)], !contacts.isEmpty else { continue }
            guard contacts.count > 1 else { return .one(contacts[0], key: key) }
            return .several(contacts.sorted { ($0.creationTime, $0.id) < ($1.creationTime, $1.id) }, key: key)
        }
        return .none
    }
}
