/// Where each source field of a mapping sits in the records of one shape, worked out once per shape
/// rather than by comparing field names in every record: the records of a CSV file share one shape, so its
/// names are compared once per file, and the few layouts a vCard or XML file takes turns among once each
/// (``KnownShapes``).
///
/// A mapper's caller keeps one per task and hands it to ``Mapper/map(_:positions:)``; it is plain mutable
/// state, never shared between tasks. Once it has met a file's layouts it allocates nothing.
public struct SourcePositions {
    /// The shapes with a table here, and which one is current.
    private var known = KnownShapes()
    /// The positions of every source name, one run per name in the mapper's order of names, table after table.
    private var positions: [Int32] = []
    /// Where each name's run starts in `positions`, and where the last one ends, table after table.
    private var starts: [Int] = []

    /// An empty table, filled on the first record.
    public init() {}

    /// Makes the table that of `record`'s shape for `names` (the mapper's distinct source names, the same
    /// at every call), unless it is; true when it made a table (the shape is new to it).
    @discardableResult
    mutating func update(to record: SourceRecord, names: [String]) -> Bool {
        guard let (shape, restart) = known.select(record, storedCount: starts.count) else { return false }
        if restart {
            positions.removeAll(keepingCapacity: true)
            starts.removeAll(keepingCapacity: true)
        }
        let fields = shape.names
        let preferences = shape.preferences
        for name in names {
            let start = positions.count
            starts.append(start)
            for index in fields.indices where fields[index] == name { positions.append(Int32(truncatingIfNeeded: index)) }
            if !preferences.isEmpty, positions.count - start > 1 {
                // The values a vCard marks as preferred come first, the others after them in file order.
                positions[start...].sort { (preferences[Int($0)], $0) < (preferences[Int($1)], $1) }
            }
        }
        starts.append(positions.count)
        return true
    }

    /// The positions of the fields named by name `index` of the last ``update(to:names:)``: in file order,
    /// but for the values a vCard marks as preferred, which come first (``SourceRecord/Attributes/preference``).
    func of(_ index: Int) -> ArraySlice<Int32> { positions[starts[known.base + index]..<starts[known.base + index + 1]] }
}
