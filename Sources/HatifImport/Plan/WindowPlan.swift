/// A window's plan, split the way the push needs it: the creates, the updates, and the records already
/// settled (unchanged, merged, rejected, in conflict), which need no request.
public struct WindowPlan: Sendable {
    /// Every record of the window, in input order.
    public private(set) var records: [PlannedRecord]
    /// Positions (in ``records``) of the records to create, in order.
    public private(set) var creates: [Int] = []
    /// Positions of the records to update or delete, in order.
    public private(set) var updates: [Int] = []
    /// Positions of the records that need no request, in order.
    public private(set) var settled: [Int] = []

    /// Creates the plan of `records`, in input order.
    public init(records: [PlannedRecord]) {
        self.records = records
        split()
    }

    /// Whether the window writes anything.
    public var writes: Bool { !creates.isEmpty || !updates.isEmpty }

    /// Replaces the action of the record at `position` (a resumed run's record found in the workspace).
    mutating func replace(_ action: PlannedAction, at position: Int, note: String) {
        records[position].action = action
        records[position].notes.append(note)
        split()
    }

    /// Marks the record at `position` as one whose contact the run's earlier, stopped attempt created,
    /// found as `state`.
    mutating func markCreatedEarlier(at position: Int, state: Int64) {
        records[position].createdEarlier = true
        records[position].foundState = state
    }

    /// Adds a note to the record at `position`.
    mutating func note(_ note: String, at position: Int) { records[position].notes.append(note) }

    private mutating func split() {
        creates = []
        updates = []
        settled = []
        for (position, record) in records.enumerated() {
            switch record.action {
            case .create: creates.append(position)
            case .update, .delete: updates.append(position)
            case .unchanged, .conflict, .reject, .merged: settled.append(position)
            }
        }
    }
}
