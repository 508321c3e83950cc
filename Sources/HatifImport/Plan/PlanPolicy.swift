/// How the plan treats records whose contact exists already.
public struct PlanPolicy: Sendable, Hashable {
    /// What to do with an existing contact.
    public enum OnExisting: String, Sendable, CaseIterable {
        /// Set every field the record has (the default).
        case update
        /// Set only the fields the contact has empty.
        case fillEmpty = "fill-empty"
        /// Leave existing contacts as they are.
        case skip
    }

    /// What to do when a key matches several contacts.
    public enum OnMultiple: String, Sendable, CaseIterable {
        /// Touch none of them and report a conflict (the default).
        case conflict
        /// Treat the oldest as the match.
        case oldest
    }

    public var onExisting: OnExisting
    public var onMultiple: OnMultiple

    /// Creates a policy; the defaults are `update` and `conflict`.
    public init(onExisting: OnExisting = .update, onMultiple: OnMultiple = .conflict) {
        self.onExisting = onExisting
        self.onMultiple = onMultiple
    }
}
