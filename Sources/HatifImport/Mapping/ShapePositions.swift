/// Where the source names of one mapping sit among the fields of one record shape, in one block: the
/// start of each name's run, then the runs. Worked out by the first task that maps a record of the shape
/// and kept with the shape (``RecordShape/positions``) for every task after it.
///
/// `@unchecked Sendable`: the block is written in `init` only and freed in `deinit`; every other use reads it.
final class ShapePositions: @unchecked Sendable {
    /// Which mapping the names are of (its mapper's ``Mapper/Owner``); held, so that its identity is not reused.
    let owner: Mapper.Owner
    private let block: UnsafeMutableBufferPointer<Int32>

    /// The positions of `names` among the fields of `shape`, for the mapping of `owner`.
    init(names: [String], in shape: RecordShape, owner: Mapper.Owner) {
        self.owner = owner
        let fields = shape.names
        let preferences = shape.preferences
        var block: [Int32] = []
        block.reserveCapacity(2 * names.count + 1)
        block.append(contentsOf: repeatElement(0, count: names.count + 1))
        for (number, name) in names.enumerated() {
            let start = block.count
            block[number] = Int32(truncatingIfNeeded: start)
            // Lengths first: they are read without a call, and most names of a shape differ from the
            // mapping's in length.
            let length = name.utf8.count
            for index in fields.indices where fields[index].utf8.count == length && fields[index] == name {
                block.append(Int32(truncatingIfNeeded: index))
            }
            if !preferences.isEmpty, block.count - start > 1 {
                // The values a vCard marks as preferred come first, the others after them in file order.
                block[start...].sort { (preferences[Int($0)], $0) < (preferences[Int($1)], $1) }
            }
        }
        block[names.count] = Int32(truncatingIfNeeded: block.count)
        self.block = .allocate(capacity: block.count)
        _ = self.block.initialize(from: block)
    }

    deinit { block.deallocate() }

    /// The positions of name `index`: valid while this object lives.
    @inline(__always)
    func of(_ index: Int) -> UnsafeBufferPointer<Int32> {
        let start = Int(block[index])
        return UnsafeBufferPointer(rebasing: block[start..<Int(block[index + 1])])
    }
}
