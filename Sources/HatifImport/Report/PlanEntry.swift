/// One record's line in the plan outputs (`plan.jsonl`, `plan.csv`, `report.html`), and, with its
/// outcome, in a run's `results.jsonl`.
public struct PlanEntry: Sendable, Hashable, Decodable {
    public var file: String
    public var line: Int
    public var ordinal: Int
    /// What the plan said.
    public var action: PlannedAction.Kind
    /// The key that found the contact (`phone`, `email`, `property:…`), if one did.
    public var key: String?
    /// The matched contact ids (several for a conflict).
    public var contactIDs: [String]
    /// The field-level diff of an update (or every value of a create).
    public var changes: [FieldChange]
    /// Why a record is rejected or in conflict, and what the mapping noted.
    public var reasons: [String]
    /// What a run did; nil in a dry run.
    public var outcome: RecordOutcome.Kind?

    /// How reports count and show an entry: what was planned, or after a run what happened, named as the
    /// action that did it (`created` counts as `create`); or `failed`.
    public enum Category: Sendable, Hashable {
        case action(PlannedAction.Kind)
        case failed

        /// `create`, `update`, `unchanged`, `conflict`, `reject`, `merged` or `failed`.
        public var name: String {
            switch self {
            case .action(let kind): kind.rawValue
            case .failed: "failed"
            }
        }
    }

    /// The entry's category: the plan's action in a dry run, the outcome's after a run.
    public var category: Category {
        switch outcome {
        case nil: .action(action)
        case .created?: .action(.create)
        case .updated?: .action(.update)
        case .unchanged?: .action(.unchanged)
        case .merged?: .action(.merged)
        case .conflict?: .action(.conflict)
        case .rejected?: .action(.reject)
        case .failed?: .failed
        case .deleted?: .action(.delete)
        }
    }

    enum CodingKeys: String, CodingKey {
        case file, line, ordinal = "record", action, key, contactIDs = "contactIds", changes, reasons, outcome
    }

    /// Creates an entry from its members.
    public init(
        file: String, line: Int, ordinal: Int, action: PlannedAction.Kind, key: String?, contactIDs: [String], changes: [FieldChange],
        reasons: [String], outcome: RecordOutcome.Kind?
    ) {
        self.file = file
        self.line = line
        self.ordinal = ordinal
        self.action = action
        self.key = key
        self.contactIDs = contactIDs
        self.changes = changes
        self.reasons = reasons
        self.outcome = outcome
    }

    /// Reads a line of `plan.jsonl` or `results.jsonl`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        file = try container.decode(String.self, forKey: .file)
        line = try container.decode(Int.self, forKey: .line)
        ordinal = try container.decode(Int.self, forKey: .ordinal)
        action = try container.decode(PlannedAction.Kind.self, forKey: .action)
        key = try container.decodeIfPresent(String.self, forKey: .key)
        contactIDs = try container.decodeIfPresent([String].self, forKey: .contactIDs) ?? []
        changes = try container.decodeIfPresent([FieldChange].self, forKey: .changes) ?? []
        reasons = try container.decodeIfPresent([String].self, forKey: .reasons) ?? []
        outcome = try container.decodeIfPresent(RecordOutcome.Kind.self, forKey: .outcome)
    }

    /// The entry for one planned action; `file` names an input by its index (for a merged record's twin).
    public init(_ action: PlannedAction, location: SourceLocation, ordinal: Int, notes: [String] = [], file: (Int) -> String = { "file \($0 + 1)" }) {
        self.file = location.file
        line = location.line
        self.ordinal = ordinal
        self.action = action.kind
        key = nil
        contactIDs = []
        changes = []
        reasons = notes
        outcome = nil
        switch action {
        case .create(let draft):
            changes = Self.values(of: draft).map { FieldChange(field: $0.0, old: nil, new: $0.1) }
        case .update(let id, let key, let diff, _):
            self.key = key.description
            contactIDs = [id]
            changes = diff
        case .unchanged(let id, let key):
            self.key = key.description
            contactIDs = [id]
        case .conflict(let ids, let key):
            self.key = key.description
            contactIDs = ids
            // One contact in conflict is an undo's: its notes say why.
            if ids.count > 1 {
                reasons.insert("\(ids.count) contacts share this \(key); nothing is touched (use --on-multiple oldest to pick the oldest)", at: 0)
            }
        case .reject(let reject):
            reasons.insert(reject.field.map { "\($0) \"\(reject.value ?? "")\": \(reject.reason)" } ?? reject.reason, at: 0)
        case .merged(let into, let draft):
            changes = Self.values(of: draft).map { FieldChange(field: $0.0, old: nil, new: $0.1) }
            reasons.insert("same key as record \(into.ordinal) of \(file(into.fileIndex)): one contact, this record filling only what that one leaves empty", at: 0)
        case .delete(let id):
            contactIDs = [id]
        }
    }

    static func values(of draft: ContactDraft) -> [(String, String)] {
        var values: [(String, String)] = []
        if let first = draft.firstName { values.append(("FirstName", first)) }
        if let last = draft.lastName { values.append(("LastName", last)) }
        if let phone = draft.phone { values.append(("PhoneNumber", phone.e164)) }
        if let email = draft.email { values.append(("Email", email)) }
        for (name, value) in draft.properties.sorted(by: { $0.key < $1.key }) { values.append(("property:\(name)", value)) }
        return values
    }

    /// The entry as one JSON object (a line of `plan.jsonl`).
    public var json: String {
        var text = "{\"file\":\(JSONText.quoted(file)),\"line\":\(line),\"record\":\(ordinal),\"action\":\"\(action.rawValue)\""
        if let outcome { text += ",\"outcome\":\"\(outcome.rawValue)\"" }
        if let key { text += ",\"key\":\(JSONText.quoted(key))" }
        if !contactIDs.isEmpty { text += ",\"contactIds\":[\(contactIDs.map(JSONText.quoted).joined(separator: ","))]" }
        if !changes.isEmpty {
            let diff = changes.map { change in
                "{\"field\":\(JSONText.quoted(change.field)),\"old\":\(change.old.map(JSONText.quoted) ?? "null"),\"new\":\(change.new.map(JSONText.quoted) ?? "null")}"
            }
            text += ",\"changes\":[\(diff.joined(separator: ","))]"
        }
        if !reasons.isEmpty { text += ",\"reasons\":[\(reasons.map(JSONText.quoted).joined(separator: ","))]" }
        return text + "}"
    }

    /// The entry as one `plan.csv` row: file, line, record, action (the outcome after a run), key, contact
    /// ids, changes, reasons.
    public var csvRow: String {
        let changesText = changes.map { "\($0.field): \($0.old ?? "∅") → \($0.new ?? "∅")" }.joined(separator: "; ")
        return [file, "\(line)", "\(ordinal)", outcome?.rawValue ?? action.rawValue, key ?? "", contactIDs.joined(separator: " "), changesText, reasons.joined(separator: "; ")]
            .map(RejectsFile.cell).joined(separator: ",")
    }

    /// The header of `plan.csv`.
    public static let csvHeader = "file,line,record,action,key,contact_ids,changes,reasons"
}
