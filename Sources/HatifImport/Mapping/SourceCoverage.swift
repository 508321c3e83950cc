import Synchronization

/// Which of a mapping's source field names some record had, across every task that maps: a name no record
/// has (a typo, `Name` for a file's `name`, a column the export left out) maps nothing, and without a
/// word a whole column of values would not be imported.
///
/// Told when a shape's positions are worked out (``SourcePositions``: once per shape, by the task that
/// meets it first), and taken no lock once every name is found.
final class SourceCoverage: Sendable {
    private let names: [String]
    private let found: Mutex<[Bool]>
    /// Whether every name has been found: then a task's new shape has nothing to tell, and takes no lock
    /// (a vCard file's shapes change from card to card).
    private let complete = Atomic<Bool>(false)

    /// Coverage of `names`, none found yet.
    init(names: [String]) {
        self.names = names
        found = Mutex([Bool](repeating: false, count: names.count))
    }

    /// Marks the names that `positions` (just updated to a new shape) finds.
    func note(_ positions: SourcePositions) {
        guard !complete.load(ordering: .acquiring) else { return }
        let present = names.indices.map { !positions.of($0).isEmpty }
        let all = found.withLock { found in
            for index in present.indices where present[index] { found[index] = true }
            return !found.contains(false)
        }
        if all { complete.store(true, ordering: .releasing) }
    }

    /// The names no record has had so far, in the mapping's order.
    var missing: [String] {
        found.withLock { found in names.indices.filter { !found[$0] }.map { names[$0] } }
    }
}
