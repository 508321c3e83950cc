/// Which of the record shapes a task met last has a table (the keys of `rejects.csv`) in its holder's storage,
/// and where that table starts: found again by the shape's identity, without counting a reference.
///
/// The records of a vCard or XML file take turns among a few common layouts (a card with or without a
/// second phone, a contact with or without an address), so a table kept only for the shape of the record
/// before was made again for most records (2026-12-04, `validate` of 1,000,000 XML contacts: about 4% of
/// the CPU). The holder appends each new shape's table to its storage; after ``capacity`` shapes it empties
/// the storage and starts again, which a file of few layouts never reaches. Plain state of one task.
struct KnownShapes {
    /// The shapes with a table (held, so that their identities cannot be taken by other shapes).
    private var shapes: [RecordShape] = []
    /// Their identities, kept apart so that finding one counts no reference to a shape.
    private var identifiers: [ObjectIdentifier] = []
    /// Where each shape's table starts in the holder's storage.
    private var starts: [Int] = []
    private var current: ObjectIdentifier?
    /// Where the table of the shape of the last ``select(_:storedCount:)`` starts in the holder's storage.
    private(set) var base = 0

    /// How many shapes have a table at once.
    static var capacity: Int { 32 }

    /// Makes `record`'s shape the current one. Nil when it has a table (``base`` tells where); else the
    /// shape, whose table the holder appends to its storage: after its `storedCount` entries, or from the
    /// start when `restart` asks it to empty its storage first.
    mutating func select(_ record: SourceRecord, storedCount: Int) -> (shape: RecordShape, restart: Bool)? {
        let identifier = record.shapeIdentifier
        guard identifier != current else { return nil }
        current = identifier
        if let known = identifiers.firstIndex(of: identifier) {
            base = starts[known]
            return nil
        }
        let restart = identifiers.count == Self.capacity
        if restart {
            shapes.removeAll(keepingCapacity: true)
            identifiers.removeAll(keepingCapacity: true)
            starts.removeAll(keepingCapacity: true)
        }
        let shape = record.shape
        base = restart ? 0 : storedCount
        shapes.append(shape)
        identifiers.append(identifier)
        starts.append(base)
        return (shape, restart)
    }
}
