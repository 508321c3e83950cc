#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The shapes (field names and attributes) of a file's records, by the sequence of their fields: the
/// records of a file repeat a few layouts (the same fields in the same order), so a record gets a shared
/// ``RecordShape`` instead of building its names field by field.
///
/// A reader tells each field by a number of its own (a vCard head and component, an XML path) and says
/// how to name a number when a layout is new.
struct RecordLayouts {
    /// One layout: its fields by number, their hash, and the shape its records get.
    final class Layout {
        let fields: [UInt64]
        let hash: UInt64
        let shape: RecordShape

        init(fields: [UInt64], hash: UInt64, shape: RecordShape) {
            self.fields = fields
            self.hash = hash
            self.shape = shape
        }
    }

    /// The file the records come from, which every shape names.
    let file: String

    /// How many layouts are kept, in sets of ``ways``: a file's layouts are many (a vCard export of 100,000
    /// cards has thousands, as optional fields come and go) and few are common, so a new layout replaces the
    /// least recently used of its set, not whichever layout shared its slot.
    ///
    /// 4096 rather than 1024 (2026-12-04): `make bench`'s vCard file of 100,000 cards has 4,441
    /// layouts; with 1024 kept, one card in thirteen built its layout again, and the reader took 4.5% longer
    /// on the 1,000,000-card file (1.02 s against 0.96 s, pinned, in turns; 2 MB more peak memory). A
    /// layout shares its names and attributes with the heads: 20,000 cards of 126 fields, each card a
    /// layout of its own, peak at 43 MB with 4096 kept against 32 MB with 1024.
    static let capacity = 4096
    /// How many layouts share a set.
    static let ways = 4
    /// The most fields a kept layout has: a larger record gets its own arrays, so that a hostile file of
    /// huge records cannot fill the cache with them.
    static let maxFields = 128

    /// The sets one after the other, most recently used first in each.
    private var slots = [Layout?](repeating: nil, count: capacity)
    /// Each slot's layout's hash, compared before its fields.
    private var hashes = [UInt64](repeating: 0, count: capacity)

    /// Creates an empty cache for the records of `file`.
    init(file: String) { self.file = file }

    /// The layout of a record whose fields are `fields`, with `field` naming a field number when the layout
    /// is new.
    mutating func layout(
        of fields: UnsafeBufferPointer<UInt64>, _ field: (UInt64) -> (name: String, attributes: SourceRecord.Attributes)
    ) -> Layout {
        if let kept = cached(fields) { return kept }
        let layout = build(fields, field)
        keep(layout)
        return layout
    }

    /// The kept layout of a record whose fields are `fields`, now the most recently used; nil when none is
    /// kept (then ``keep(_:)`` the one built).
    mutating func cached(_ fields: UnsafeBufferPointer<UInt64>) -> Layout? {
        guard fields.count <= Self.maxFields else { return nil }
        let hash = Self.hash(fields)
        let first = Self.firstSlot(of: hash)
        for way in 0..<Self.ways where hashes[first + way] == hash {
            guard let cached = slots[first + way], Self.equal(cached.fields, fields) else { continue }
            if way > 0 { moveToFront(from: first + way, in: first) }
            return cached
        }
        return nil
    }

    /// Keeps `layout` as the most recently used of its set, pushing out the least recently used; one of
    /// more than ``maxFields`` fields is not kept.
    mutating func keep(_ layout: Layout) {
        guard layout.fields.count <= Self.maxFields else { return }
        let first = Self.firstSlot(of: layout.hash)
        moveToFront(from: first + Self.ways - 1, in: first)
        slots[first] = layout
        hashes[first] = layout.hash
    }

    /// Moves the layout at `slot` to the front of the set starting at `first`, shifting those before it back.
    private mutating func moveToFront(from slot: Int, in first: Int) {
        var index = slot
        while index > first {
            slots.swapAt(index, index - 1)
            hashes.swapAt(index, index - 1)
            index -= 1
        }
    }

    /// A quick hash of a layout's fields: rotate and xor per field (a cycle each, where a multiply per field
    /// would chain its latency), then one avalanche; kept layouts are compared whole anyway.
    private static func hash(_ fields: UnsafeBufferPointer<UInt64>) -> UInt64 {
        var hash = UInt64(fields.count)
        for field in fields { hash = (hash << 7 | hash >> 57) ^ field }
        hash = (hash ^ (hash >> 29)) &* 0xBF58_476D_1CE4_E5B9
        return hash ^ (hash >> 32)
    }

    /// Whether a kept layout's fields are `fields`: one `memcmp`, where `elementsEqual` steps through
    /// the fields one by one.
    @inline(__always)
    private static func equal(_ kept: [UInt64], _ fields: UnsafeBufferPointer<UInt64>) -> Bool {
        kept.withUnsafeBufferPointer { kept in
            guard kept.count == fields.count else { return false }
            guard let mine = kept.baseAddress, let theirs = fields.baseAddress else { return true }
            return memcmp(mine, theirs, kept.count * MemoryLayout<UInt64>.stride) == 0
        }
    }

    private static func firstSlot(of hash: UInt64) -> Int { (Int(truncatingIfNeeded: hash) & (capacity / ways - 1)) &* ways }

    /// Forgets every layout (the readers' field numbers are about to mean other fields).
    mutating func removeAll() {
        slots = [Layout?](repeating: nil, count: Self.capacity)
    }

    /// The layout of `fields`, built without the cache.
    func build(
        _ fields: UnsafeBufferPointer<UInt64>, _ field: (UInt64) -> (name: String, attributes: SourceRecord.Attributes)
    ) -> Layout {
        var names: [String] = []
        var attributes: [SourceRecord.Attributes] = []
        names.reserveCapacity(fields.count)
        attributes.reserveCapacity(fields.count)
        for number in fields {
            let (name, kept) = field(number)
            names.append(name)
            attributes.append(kept)
        }
        return Layout(fields: Array(fields), hash: Self.hash(fields), shape: RecordShape(file: file, names: names, attributes: attributes))
    }
}
