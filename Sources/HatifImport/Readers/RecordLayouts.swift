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

    /// How many layouts are kept; a layout that meets another in its slot replaces it.
    static let capacity = 1024
    /// The most fields a kept layout has: a larger record gets its own arrays, so that a hostile file of
    /// huge records cannot fill the cache with them.
    static let maxFields = 128

    private var slots = [Layout?](repeating: nil, count: capacity)

    /// The layout of a record whose fields are `fields`, with `field` naming a field number when the layout
    /// is new.
    mutating func layout(of fields: [UInt64], _ field: (UInt64) -> (name: String, attributes: SourceRecord.Attributes)) -> Layout {
        guard fields.count <= Self.maxFields else { return Self.build(fields, field) }
        let slot = Int(truncatingIfNeeded: fields.withUnsafeBytes { StableHash.of($0) }) & (Self.capacity - 1)
        if let cached = slots[slot], cached.fields == fields { return cached }
        let layout = Self.build(fields, field)
        slots[slot] = layout
        return layout
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
