/// The field names and attributes of cards, by the sequence of their fields: the cards of a file repeat a
/// few layouts (the same properties in the same order), so a card gets its names and attributes as two
/// shared arrays instead of building them field by field.
///
/// A field is told by a ``VCardFieldLayouts/FieldID``: the number of its head in the file's
/// ``VCardHeadCache`` and which component of a structured value it is.
struct VCardFieldLayouts {
    /// One field of a card: its head's number and its component (0 for the whole value or a list item,
    /// k for component k of a structured value).
    struct FieldID: Equatable {
        var bits: UInt64
        init(head: Int, component: Int) { bits = UInt64(truncatingIfNeeded: head) << 32 | UInt64(truncatingIfNeeded: component) }
        var head: Int { Int(bits >> 32) }
        var component: Int { Int(bits & 0xFFFF_FFFF) }
    }

    /// The names and attributes of one layout.
    final class Layout {
        let fields: [FieldID]
        let names: [String]
        /// Aligned with the names, or empty when no field has parameters or a group.
        let attributes: [SourceRecord.Attributes]

        init(fields: [FieldID], names: [String], attributes: [SourceRecord.Attributes]) {
            self.fields = fields
            self.names = names
            self.attributes = attributes.contains { !$0.parameters.isEmpty || $0.group != nil } ? attributes : []
        }
    }

    /// How many layouts are kept; a layout that meets another in its slot replaces it.
    static let capacity = 1024
    /// The most fields a kept layout has: a larger card gets its own arrays, so that a hostile file of
    /// huge cards cannot fill the cache with them.
    static let maxFields = 128

    private var slots = [Layout?](repeating: nil, count: capacity)

    /// The layout of a card whose fields are `fields`, the names and attributes of its heads taken from
    /// `heads`.
    mutating func layout(of fields: [FieldID], heads: [VCardContentLine]) -> Layout {
        guard fields.count <= Self.maxFields else { return Self.build(fields) { heads[$0] } }
        let slot = fields.withUnsafeBytes { VCardHeadCache.hash($0) } & (Self.capacity - 1)
        if let cached = slots[slot], cached.fields == fields { return cached }
        let layout = Self.build(fields) { heads[$0] }
        slots[slot] = layout
        return layout
    }

    /// The layout of `fields`, built without the cache, with `head` giving the head of each number.
    static func build(_ fields: [FieldID], head: (Int) -> VCardContentLine) -> Layout {
        var names: [String] = []
        var attributes: [SourceRecord.Attributes] = []
        names.reserveCapacity(fields.count)
        attributes.reserveCapacity(fields.count)
        for field in fields {
            let line = head(field.head)
            names.append(line.fieldName(component: field.component))
            attributes.append(line.fieldAttributes)
        }
        return Layout(fields: fields, names: names, attributes: attributes)
    }
}
