/// Remembers which record first carried each key value, so a later record with the same phone, email
/// or external id is merged into it instead of creating a second contact.
///
/// Keys are kept as 64-bit hashes (about 25 bytes a value), so millions of records fit in memory.
public struct InFileDuplicates: Sendable {
    private let keys: [MatchKey]
    private var firstRecord: [UInt64: Int] = [:]

    /// Creates a tracker for `keys`.
    public init(keys: [MatchKey]) { self.keys = keys }

    /// The ordinal of an earlier record that shares a key value with `draft`, or nil after registering
    /// `draft`'s values as the first of their kind.
    public mutating func earlierRecord(for draft: ContactDraft, fileIndex: Int) -> Int? {
        let hashes = keys.compactMap { key in key.value(of: draft).map { Self.hash(key.description, $0) } }
        for hash in hashes {
            if let earlier = firstRecord[hash] { return earlier }
        }
        let global = fileIndex << 40 | draft.ordinal
        for hash in hashes { firstRecord[hash] = global }
        return nil
    }

    /// The file index and ordinal packed by ``earlierRecord(for:fileIndex:)``.
    public static func unpack(_ value: Int) -> (fileIndex: Int, ordinal: Int) { (value >> 40, value & ((1 << 40) - 1)) }

    static func hash(_ key: String, _ value: String) -> UInt64 { StableHash.of(key, value) }
}
