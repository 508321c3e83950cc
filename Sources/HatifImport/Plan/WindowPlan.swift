/// A window's plan, split the way the push needs it: the creates, the updates, and the records already
/// settled (unchanged, merged, rejected, in conflict), which need no request.
public struct WindowPlan: Sendable {
    /// Every record of the window, in input order.
    public var records: [PlannedRecord]

    /// Creates a plan of `records`, in input order.
    public init(records: [PlannedRecord]) { self.records = records }

    /// Positions (in ``records``) of the records to create.
    public var creates: [Int] { records.indices.filter { if case .create = records[$0].action { true } else { false } } }
    /// Positions of the records to update.
    public var updates: [Int] { records.indices.filter { if case .update = records[$0].action { true } else { false } } }
    /// Whether the window writes anything.
    public var writes: Bool {
        records.contains {
            switch $0.action {
            case .create, .update: true
            default: false
            }
        }
    }
}
