/// Remembers which record first carried each key value, so a later record with the same phone, email
/// or external id is merged into it instead of creating a second contact.
///
/// Keys are kept as 64-bit hashes (about 25 bytes a value), so millions of records fit in memory.
public struct InFileDuplicates: Sendable {
    private let keys: [MatchKey]
    private var firstRecord = RecordsByHash()

    /// Creates a tracker for `keys`.
    public init(keys: [MatchKey]) { self.keys = keys }

    /// The earlier record that shares a key value with `draft` (the record `id`), or nil after registering
    /// `draft`'s values as the first of their kind.
    public mutating func earlierRecord(for draft: ContactDraft, id: RecordID) -> RecordID? {
        // The hashes in a buffer on the stack, not an array made for every record.
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: keys.count) { hashes in
            var count = 0
            for key in keys {
                guard let value = key.value(of: draft) else { continue }
                hashes[count] = Self.hash(key.description, value)
                count += 1
            }
            for hash in hashes[..<count] {
                if let earlier = firstRecord.record(for: hash) { return earlier }
            }
            for hash in hashes[..<count] { firstRecord.put(hash, id) }
            return nil
        }
    }

    static func hash(_ key: String, _ value: String) -> UInt64 { StableHash.of(key, value) }
}
