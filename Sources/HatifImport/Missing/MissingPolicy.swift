/// What an import does with the contacts that earlier committed runs of its source wrote and that its
/// complete input no longer holds (`--on-missing`), and the guards that stop it acting on too many.
public struct MissingPolicy: Sendable, Equatable {
    /// What is done with such a contact.
    public enum Action: String, Sendable, CaseIterable {
        /// Nothing (the default).
        case ignore
        /// Sets the Date property `hatif_missing_since` (cleared when the contact comes back).
        case flag
        /// Deletes it (journaled: an undo creates it again with its last values).
        case delete
    }

    /// Default `ignore`.
    public var action: Action
    /// At most this many contacts newly missing, or this share of the contacts the source wrote
    /// (`--max-missing`). Default 5%.
    public var limit: Allowance
    /// Go ahead even when the input holds fewer than half the records of the source's last complete run
    /// (`--allow-shrink`). Default false.
    public var allowShrink: Bool

    public init(action: Action = .ignore, limit: Allowance = Allowance(percent: 5), allowShrink: Bool = false) {
        self.action = action
        self.limit = limit
        self.allowShrink = allowShrink
    }

    /// The Date property a flagged contact carries.
    public static let property = "hatif_missing_since"
}
