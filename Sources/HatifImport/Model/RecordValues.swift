/// A record's values being gathered by a reader, laid out as ``SourceRecord`` keeps them: the values'
/// UTF-8 with one separator byte between two, and where each value ends.
struct RecordValues {
    /// The byte put between two values.
    static let separator: UInt8 = 0x1F

    /// The values' UTF-8 so far; a reader writes the value it has begun straight into it.
    var utf8: [UInt8] = []
    /// Where each finished value ends in `utf8`.
    private(set) var ends: [Int] = []

    /// Creates an empty set sized for about `fields` values of `bytes` bytes in all.
    init(fields: Int = 0, bytes: Int = 0) {
        ends.reserveCapacity(fields)
        utf8.reserveCapacity(bytes + fields)
    }

    /// Forgets every value, keeping the room for the next record.
    mutating func removeAll() {
        utf8.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
    }

    /// Begins a value: puts the separator after the value before, if any, and returns where the new
    /// value's bytes start in `utf8`.
    mutating func begin() -> Int {
        if !ends.isEmpty { utf8.append(Self.separator) }
        return utf8.count
    }

    /// Ends the value begun last at the end of `utf8`.
    mutating func end() { ends.append(utf8.count) }

    /// Adds a whole value.
    mutating func append(_ value: some Sequence<UInt8>) {
        _ = begin()
        utf8.append(contentsOf: value)
        end()
    }
}
