import HatifAPI

/// Finds the workspace contacts that carry given key values.
public protocol ContactIndex: Sendable {
    /// The contacts for each of `values` that has any, oldest first.
    func contacts(for values: Set<MatchKeyValue>) async throws -> [MatchKeyValue: [ContactDto]]
}

/// Looks keys up with Search Contacts [Complex]: `In` filters of up to 100 values, up to 10 groups a call,
/// pages followed when full. A batch of 500 records with one key costs one call.
public struct SearchContactIndex: ContactIndex {
    /// The contract's limits.
    static let valuesPerFilter = 100
    static let groupsPerCall = 10
    static let pageSize = 1000

    private let client: HatifClient

    /// Creates an index over the API.
    public init(client: HatifClient) { self.client = client }

    public func contacts(for values: Set<MatchKeyValue>) async throws -> [MatchKeyValue: [ContactDto]] {
        var groups: [(MatchKey, [String])] = []
        let byKey = Dictionary(grouping: values, by: \.key)
        for (key, entries) in byKey.sorted(by: { $0.key.description < $1.key.description }) {
            let sorted = entries.map(\.value).sorted()
            for start in stride(from: 0, to: sorted.count, by: Self.valuesPerFilter) {
                groups.append((key, Array(sorted[start..<min(sorted.count, start + Self.valuesPerFilter)])))
            }
        }
        var found: [MatchKeyValue: [ContactDto]] = [:]
        for start in stride(from: 0, to: groups.count, by: Self.groupsPerCall) {
            let slice = groups[start..<min(groups.count, start + Self.groupsPerCall)]
            let filterGroups = slice.map { key, values in
                SearchFilterGroup(filters: [SearchFilter(field: key.searchField, _operator: ._in, values: values)])
            }
            let keys = Set(slice.map(\.0))
            var skip = 0
            while true {
                let page = try await client.searchContacts(
                    SearchContactsInput(filterGroups: filterGroups, skipCount: Int32(skip), maxResultCount: Int32(Self.pageSize)))
                for contact in page.items {
                    for key in keys {
                        guard let value = key.value(of: contact) else { continue }
                        let entry = MatchKeyValue(key, value)
                        if values.contains(entry), !(found[entry]?.contains { $0.id == contact.id } ?? false) {
                            found[entry, default: []].append(contact)
                        }
                    }
                }
                skip += page.items.count
                if page.items.count < Self.pageSize || skip >= page.totalCount { break }
            }
        }
        return found
    }
}

extension SearchContactIndex {
    /// The workspace's contacts of these ids, by lower-cased id: Search Contacts [Complex] on `Id`, 1,000
    /// ids a call.
    public func contacts(ids: [String]) async throws -> [String: ContactDto] {
        var found: [String: ContactDto] = [:]
        let perCall = Self.valuesPerFilter * Self.groupsPerCall
        for start in stride(from: 0, to: ids.count, by: perCall) {
            let slice = Array(ids[start..<min(ids.count, start + perCall)])
            let groups = stride(from: 0, to: slice.count, by: Self.valuesPerFilter).map { offset in
                SearchFilterGroup(filters: [
                    SearchFilter(field: "Id", _operator: ._in, values: Array(slice[offset..<min(slice.count, offset + Self.valuesPerFilter)]))
                ])
            }
            var skip = 0
            while true {
                let page = try await client.searchContacts(
                    SearchContactsInput(filterGroups: groups, skipCount: Int32(skip), maxResultCount: Int32(Self.pageSize)))
                for contact in page.items { found[contact.id.lowercased()] = contact }
                skip += page.items.count
                if page.items.isEmpty || skip >= page.totalCount { break }
            }
        }
        return found
    }
}

/// Pages once through Get Contacts into a local index: one call per 1,000 workspace contacts, then no
/// lookups at all. Better than searching when the input is large compared with the workspace.
public struct PrefetchedContactIndex: ContactIndex {
    private let index: [MatchKeyValue: [ContactDto]]
    /// Workspace contacts read.
    public let contactCount: Int

    /// Reads every workspace contact and indexes it by `keys`.
    public static func load(client: HatifClient, keys: [MatchKey]) async throws -> PrefetchedContactIndex {
        var index: [MatchKeyValue: [ContactDto]] = [:]
        let count = try await client.forEachContactPage(pageSize: 1000) { page in
            for contact in page {
                for key in keys {
                    if let value = key.value(of: contact) { index[MatchKeyValue(key, value), default: []].append(contact) }
                }
            }
        }
        return PrefetchedContactIndex(index: index, contactCount: count)
    }

    public func contacts(for values: Set<MatchKeyValue>) async throws -> [MatchKeyValue: [ContactDto]] {
        var found: [MatchKeyValue: [ContactDto]] = [:]
        for value in values { if let contacts = index[value] { found[value] = contacts } }
        return found
    }
}
