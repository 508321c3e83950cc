/// The field names and attributes of records, by the sequence of their fields: the records of a file
/// repeat a few layouts (the same fields in the same order), so a record gets its names and attributes
/// as two shared arrays instead of building them field by field.
///
/// A reader tells each field by a number of its own (a vCard head and component, an XML path) and says
/// how to name a number when a layout is new.
struct RecordLayouts {
    /// The names and attributes of one layout.
    final class Layout {
        let fields: [UInt64]
        let names: [String]
        /// Aligned with the names, or empty when no field has parameters or a group.
        let attributes: [SourceRecord.Attributes]

        init(fields: [UInt64], names: [String], attributes: [SourceRecord.Attributes]) {
            self.fields = fields
            self.names = names
            self.attributes = attributes.contains { !$0.parameters.isEmpty || $0.group != nil } ? attributes : []
        }
    }

    /// How many layouts are kept, in sets of ``ways``: a file's layouts are many (a vCard export of 100,000
    /// cards has thousands, as optional fields come and go) and few are common, so a new layout replaces the
    /// least recently used of its set, not whichever layout shared its slot.
    static let capacity = 1024
    /// How many layouts share a set.
    static let ways = 4
    /// The most fields a kept layout has: a larger record gets its own arrays, so that a hostile file of
    /// huge records cannot fill the cache with them.
    static let maxFields = 128

    /// The sets one after the other, most recently used first in each.
    private var slots = [Layout?](repeating: nil, count: capacity)
    /// Each slot's layout's hash, compared before its fields.
    private var hashes = [UInt64](repeating: 0, count: capacity)

    /// The layout of a record whose fields are `fields`, with `field` naming a field number when the layout
    /// is new.
    mutating func layout(of fields: [UInt64], _ field: (UInt64) -> (name: String, attributes: SourceRecord.Attributes)) -> Layout {
        guard fields.count <= Self.maxFields else { return Self.build(fields, field) }
        let hash = fields.withUnsafeBytes { StableHash.of($0) }
        let first = (Int(truncatingIfNeeded: hash) & (Self.capacity / Self.ways - 1)) &* Self.ways
        var found = Self.ways - 1
        var layout: Layout?
        for way in 0..<Self.ways where hashes[first + way] == hash {
            if let cached = slots[first + way], cached.fields == fields {
                if way == 0 { return cached }
                found = way
                layout = cached
                break
            }
        }
        let kept = layout ?? Self.build(fields, field)
        // Move it to the front of its set; a new one pushes out the last.
        var way = found
        while way > 0 {
            slots[first + way] = slots[first + way - 1]
            hashes[first + way] = hashes[first + way - 1]
            way -= 1
        }
        slots[first] = kept
        hashes[first] = hash
        return kept
    }

    /// Forgets every layout (the readers' field numbers are about to mean other fields).
    mutating func removeAll() {
        slots = [Layout?](repeating: nil, count: Self.capacity)
    }

    /// The layout of `fields`, built without the cache.
    static func build(_ fields: [UInt64], _ field: (UInt64) -> (name: String, attributes: SourceRecord.Attributes)) -> Layout {
        var names: [String] = []
        var attributes: [SourceRecord.Attributes] = []
        names.reserveCapacity(fields.count)
        attributes.reserveCapacity(fields.count)
        for number in fields {
            let (name, kept) = field(number)
            names.append(name)
            attributes.append(kept)
        }
        return Layout(fields: fields, names: names, attributes: attributes)
    }
}
