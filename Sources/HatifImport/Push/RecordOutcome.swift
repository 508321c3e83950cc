/// What a run did with one record.
public enum RecordOutcome: Sendable, Hashable {
    case created(contactID: String)
    case updated(contactID: String)
    case unchanged(contactID: String)
    /// Folded into an earlier record's contact (nil when that record made none).
    case merged(contactID: String?)
    /// Several contacts share the key: none was touched.
    case conflict
    case rejected
    /// The API refused the record; `contactID` names the contact when it was created but not completed.
    case failed(reason: String, contactID: String?)
    /// Deleted (or found already gone).
    case deleted(contactID: String)

    /// The kinds of outcome, as `results.jsonl` names them.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case created, updated, unchanged, merged, conflict, rejected, failed, deleted
    }

    /// The outcome's kind.
    public var kind: Kind {
        switch self {
        case .created: .created
        case .updated: .updated
        case .unchanged: .unchanged
        case .merged: .merged
        case .conflict: .conflict
        case .rejected: .rejected
        case .failed: .failed
        case .deleted: .deleted
        }
    }

    /// The contact the record ended up in, if any.
    public var contactID: String? {
        switch self {
        case .created(let id), .updated(let id), .unchanged(let id), .deleted(let id): id
        case .merged(let id): id
        case .failed(_, let id): id
        case .conflict, .rejected: nil
        }
    }
}
