/// Where each source field of a mapping sits in the record being mapped: looked up in the record's shape,
/// which keeps the positions of the first mapping that met it (``ShapePositions``), so the field names are
/// compared once per shape for the whole run, whichever task meets it first.
///
/// A vCard file's shapes change from card to card and number thousands (2026-12-04, 1,000,000 cards: a
/// table of the last 32 shapes per task, made afresh for every chunk of a window, had none for three cards
/// in four, and making them took some 6% of `validate`'s CPU).
///
/// A mapper's caller keeps one per task and hands it to ``Mapper/map(_:positions:)``; it is plain mutable
/// state, never shared between tasks.
public struct SourcePositions {
    /// The positions of the record last updated to, unretained: the record's shape holds them, and the
    /// mapper reads them only while it maps that record. Counting a reference to them, shared by every
    /// task, for every record would move that count between the cores.
    private var current: Unmanaged<ShapePositions>?
    /// Positions made here, held, for a shape that keeps another mapping's (two mappers over one file).
    private var own: ShapePositions?

    /// None yet: the first record's are looked up.
    public init() {}

    /// Makes the positions those of `record`'s shape for `names` (the mapper's distinct source names, the
    /// same at every call) of the mapping of `owner`; true when they were worked out here (the shape is
    /// new to the mapping).
    @discardableResult
    mutating func update(to record: SourceRecord, names: [String], owner: Mapper.Owner) -> Bool {
        record.withShape { shape in
            if let kept = shape.positions.load(), kept._withUnsafeGuaranteedRef({ $0.owner === owner }) {
                current = kept
                return false
            }
            let made = ShapePositions(names: names, in: shape, owner: owner)
            let kept = shape.positions.keep(made)
            if kept._withUnsafeGuaranteedRef({ $0.owner === owner }) {
                current = kept
            } else {
                own = made
                current = Unmanaged.passUnretained(made)
            }
            return true
        }
    }

    /// The positions of the fields named by name `index` of the last ``update(to:names:owner:)``: in file
    /// order, but for the values a vCard marks as preferred, which come first
    /// (``SourceRecord/Attributes/preference``). Valid while the record of that update lives.
    func of(_ index: Int) -> UnsafeBufferPointer<Int32> {
        guard let current else { return UnsafeBufferPointer(start: nil, count: 0) }
        return current._withUnsafeGuaranteedRef { $0.of(index) }
    }
}
