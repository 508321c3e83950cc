/// A running hash of the records an input yields, in order (their ordinals, field names and values, or
/// a reject's reason and excerpt, each a part of a ``StableHash``): what a run from standard input keeps
/// at each commit, so a resumed run fed the stream again can tell it starts with the same records before
/// it skips them.
struct StreamPrefixHash {
    private var hash = StableHash()

    /// The hash of the items so far.
    var value: UInt64 { hash.value }

    /// Adds `item`.
    mutating func add(_ item: ReadItem) {
        part(String(item.ordinal).utf8)
        switch item {
        case .record(let record):
            for name in record.fieldNames { part(name.utf8) }
            record.forEachValue { _, utf8 in part(utf8) }
        case .reject(let reject):
            part(reject.reason.utf8)
            part(reject.excerpt.utf8)
        }
    }

    private mutating func part(_ bytes: some Sequence<UInt8>) {
        hash.add(bytes)
        hash.separate()
    }
}
