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
        var bytes: [UInt8] = []
        appendJSON(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends ``json`` to `bytes` (written straight into an output's buffer: one line per record).
    func appendJSON(to bytes: inout [UInt8]) {
        bytes.append(contentsOf: #"{"file":"#.utf8)
        JSONText.appendQuoted(file, to: &bytes)
        bytes.append(contentsOf: #","line":"#.utf8)
        JSONText.append(line, to: &bytes)
        bytes.append(contentsOf: #","record":"#.utf8)
        JSONText.append(ordinal, to: &bytes)
        bytes.append(contentsOf: #","action":""#.utf8)
        JSONText.append(action.rawValue, to: &bytes)
        bytes.append(0x22)
        if let outcome {
            bytes.append(contentsOf: #","outcome":""#.utf8)
            JSONText.append(outcome.rawValue, to: &bytes)
            bytes.append(0x22)
        }
        if let key {
            bytes.append(contentsOf: #","key":"#.utf8)
            JSONText.appendQuoted(key, to: &bytes)
        }
        if !contactIDs.isEmpty {
            bytes.append(contentsOf: #","contactIds":["#.utf8)
            JSONText.appendQuoted(contactIDs, to: &bytes)
            bytes.append(0x5D)
        }
        if !changes.isEmpty {
            bytes.append(contentsOf: #","changes":["#.utf8)
            for (index, change) in changes.enumerated() {
                bytes.append(contentsOf: (index > 0 ? #",{"field":"# : #"{"field":"#).utf8)
                JSONText.appendQuoted(change.field, to: &bytes)
                bytes.append(contentsOf: #","old":"#.utf8)
                JSONText.appendQuotedOrNull(change.old, to: &bytes)
                bytes.append(contentsOf: #","new":"#.utf8)
                JSONText.appendQuotedOrNull(change.new, to: &bytes)
                bytes.append(0x7D)
            }
            bytes.append(0x5D)
        }
        if !reasons.isEmpty {
            bytes.append(contentsOf: #","reasons":["#.utf8)
            JSONText.appendQuoted(reasons, to: &bytes)
            bytes.append(0x5D)
        }
        bytes.append(0x7D)
    }

    /// The entry as one `plan.csv` row: file, line, record, action (the outcome after a run), key, contact
    /// ids, changes, reasons.
    public var csvRow: String {
        var bytes: [UInt8] = []
        appendCSVRow(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends ``csvRow`` to `bytes`, each cell as ``RejectsFile/cell(_:)`` makes it.
    func appendCSVRow(to bytes: inout [UInt8]) {
        RejectsFile.appendCell(to: &bytes) { JSONText.append(file, to: &$0) }
        bytes.append(0x2C)
        RejectsFile.appendCell(to: &bytes) { JSONText.append(line, to: &$0) }
        bytes.append(0x2C)
        RejectsFile.appendCell(to: &bytes) { JSONText.append(ordinal, to: &$0) }
        bytes.append(0x2C)
        RejectsFile.appendCell(to: &bytes) { JSONText.append(outcome?.rawValue ?? action.rawValue, to: &$0) }
        bytes.append(0x2C)
        if let key { RejectsFile.appendCell(to: &bytes) { JSONText.append(key, to: &$0) } }
        bytes.append(0x2C)
        RejectsFile.appendCell(to: &bytes) { JSONText.append(contactIDs, separator: " ", to: &$0) }
        bytes.append(0x2C)
        RejectsFile.appendCell(to: &bytes) { cell in
            for (index, change) in changes.enumerated() {
                if index > 0 { cell.append(contentsOf: "; ".utf8) }
                JSONText.append(change.field, to: &cell)
                cell.append(contentsOf: ": ".utf8)
                JSONText.append(change.old ?? "∅", to: &cell)
                cell.append(contentsOf: " → ".utf8)
                JSONText.append(change.new ?? "∅", to: &cell)
            }
        }
        bytes.append(0x2C)
        RejectsFile.appendCell(to: &bytes) { JSONText.append(reasons, separator: "; ", to: &$0) }
    }

    /// The header of `plan.csv`.
    public static let csvHeader = "file,line,record,action,key,contact_ids,changes,reasons"
}
