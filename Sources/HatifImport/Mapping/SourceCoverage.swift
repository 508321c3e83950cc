import Synchronization

/// Which of a mapping's source field names some record had, across every task that maps: a name no record
/// has (a typo, `Name` for a file's `name`, a column the export left out) maps nothing, and without a
/// word a whole column of values would not be imported.
///
/// Told once per record shape per task (``SourcePositions`` finds the names once per shape), so the lock
/// is taken a few times per window, not per record.
final class SourceCoverage: Sendable {
    private let names: [String]
    private let found: Mutex<[Bool]>

    /// Coverage of `names`, none found yet.
    init(names: [String]) {
        self.names = names
        found = Mutex([Bool](repeating: false, count: names.count))
    }

    /// Marks the names that `positions` (just updated to a new shape) finds.
    func note(_ positions: SourcePositions) {
        let present = names.indices.map { !positions.of($0).isEmpty }
        found.withLock { found in
            for index in present.indices where present[index] { found[index] = true }
        }
    }

    /// The names no record has had so far, in the mapping's order.
    var missing: [String] {
        found.withLock { found in names.indices.filter { !found[$0] }.map { names[$0] } }
    }
}
