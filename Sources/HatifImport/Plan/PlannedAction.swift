import HatifAPI

/// What the import will do with one record.
public enum PlannedAction: Sendable, Hashable {
    /// No contact has the record's keys: create one.
    case create(ContactDraft)
    /// One contact matches and differs: Update Contact with `input` (every standard field to keep, and the
    /// changed properties), which makes `changes`.
    case update(contactID: String, key: MatchKey, changes: [FieldChange], input: ContactInput)
    /// One contact matches and already holds the record's values: no call.
    case unchanged(contactID: String, key: MatchKey)
    /// Several contacts share the record's key: nothing is touched.
    case conflict(contactIDs: [String], key: MatchKey)
    /// The record cannot be imported.
    case reject(RecordReject)
    /// An earlier record of the input has the same key: both become one contact, this record's values
    /// filling what the earlier one leaves empty.
    case merged(into: RecordID, draft: ContactDraft)
    /// Delete Contact: a contact an undone run created, or one gone from the source (`--on-missing delete`).
    case delete(contactID: String)

    /// The kinds of action, as reports name them.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case create, update, unchanged, conflict, reject, merged, delete
    }

    /// The action's kind.
    public var kind: Kind {
        switch self {
        case .create: .create
        case .update: .update
        case .unchanged: .unchanged
        case .conflict: .conflict
        case .reject: .reject
        case .merged: .merged
        case .delete: .delete
        }
    }
}
