/// Counts of a plan or a run, by action (by outcome after a run), and the properties it creates.
public struct PlanSummary: Sendable, Hashable, Codable {
    public var records = 0
    public var create = 0
    public var update = 0
    public var unchanged = 0
    public var conflict = 0
    public var reject = 0
    /// Records merged into an earlier record with the same key.
    public var merged = 0
    /// Records a run could not write (the API refused them); always 0 in a dry run.
    public var failed = 0
    /// Properties the run creates (or would create, in a dry run).
    public var propertiesToCreate: [String] = []

    public init() {}

    /// Counts one entry.
    public mutating func add(_ entry: PlanEntry) {
        records += 1
        switch entry.shownAction {
        case "create": create += 1
        case "failed": failed += 1
        case "update": update += 1
        case "unchanged": unchanged += 1
        case "conflict": conflict += 1
        case "merged": merged += 1
        default: reject += 1
        }
    }
}
