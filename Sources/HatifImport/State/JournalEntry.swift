import Foundation

/// One record's line in the results journal: what a run planned and did with it, the contact it wrote,
/// and, for an update, each changed field's old and new value (what an undo puts back).
///
/// Kept small (tens of bytes for a create or an unchanged record): a create's values are in the
/// workspace and the input, so only updates (their changes), and rejects, conflicts, merges and failures
/// (their reasons) carry a detail.
public struct JournalEntry: Sendable, Hashable {
    public var id: RecordID
    public var line: Int
    public var action: PlannedAction.Kind
    public var outcome: RecordOutcome.Kind
    /// The match key that found the contact.
    public var key: String?
    /// The contact the record ended in.
    public var contact: String?
    /// Changes of an update, reasons, and the contacts of a conflict, as JSON; nil when there are none.
    public var detail: String?
    /// The contact's ``ContactState`` fingerprint right after the record wrote it.
    public var written: Int64?

    /// The detail's members.
    struct Detail: Codable {
        var changes: [FieldChange]?
        var reasons: [String]?
        var contactIds: [String]?
        /// What a contact held before `--on-missing delete` deleted it.
        var before: ContactSnapshot?
    }

    /// Creates an entry.
    public init(
        id: RecordID, line: Int, action: PlannedAction.Kind, outcome: RecordOutcome.Kind, key: String?, contact: String?, detail: String?,
        written: Int64? = nil
    ) {
        self.written = written
        self.id = id
        self.line = line
        self.action = action
        self.outcome = outcome
        self.key = key
        self.contact = contact
        self.detail = detail
    }

    /// The journal entry of a committed result.
    init(_ entry: PlanEntry, id: RecordID, contact: String?, written: Int64? = nil, before: ContactSnapshot? = nil) {
        self.written = written
        self.id = id
        line = entry.line
        action = entry.action
        outcome = entry.outcome ?? .failed
        key = entry.key
        self.contact = contact
        let keepsChanges = entry.action == .update
        let conflictIDs = entry.contactIDs.count > 1 ? entry.contactIDs : nil
        // Reasons are kept where they explain a record that did not go in; the notes on records that did
        // (a dropped second phone, "unchanged since run 4") stay in results.jsonl only.
        let wentIn =
            switch outcome {
            case .created, .updated, .unchanged, .deleted: true
            case .merged, .conflict, .rejected, .failed: false
            }
        let detail = Detail(
            changes: keepsChanges && !entry.changes.isEmpty ? entry.changes : nil, reasons: entry.reasons.isEmpty || wentIn ? nil : entry.reasons,
            contactIds: conflictIDs, before: before)
        self.detail =
            detail.changes == nil && detail.reasons == nil && detail.contactIds == nil && detail.before == nil ? nil : try? RunRecord.encode(detail)
    }

    /// The field changes of an update (empty for other actions).
    public var changes: [FieldChange] { decodedDetail?.changes ?? [] }

    /// What the contact held before this entry deleted it.
    public var before: ContactSnapshot? { decodedDetail?.before }

    /// Whether the entry's record wrote its contact: created it (whole, or without the property values
    /// the API refused), updated it, or deleted it.
    public var wroteContact: Bool {
        guard contact != nil else { return false }
        switch (action, outcome) {
        case (_, .created), (.update, .updated), (.delete, .deleted), (.create, .failed): return true
        default: return false
        }
    }

    private var decodedDetail: Detail? { detail.flatMap { try? RunRecord.decode(Detail.self, $0) } }

    /// The entry as a `results.jsonl` line; a create lists no values (the journal does not keep them).
    func planEntry(files: [String]) -> PlanEntry {
        let detail = decodedDetail
        let ids = detail?.contactIds ?? contact.map { [$0] } ?? []
        return PlanEntry(
            file: files.indices.contains(id.fileIndex) ? files[id.fileIndex] : MissingContact.fileLabel, line: line, ordinal: id.ordinal,
            action: action, key: key, contactIDs: ids, changes: detail?.changes ?? [], reasons: detail?.reasons ?? [], outcome: outcome)
    }

    /// The outcome codes of entries that may have written their contact (see ``wroteContact``).
    static let writingOutcomeCodes = [RecordOutcome.Kind.created, .updated, .deleted, .failed].map(code)

    /// Small numbers for the action and outcome columns.
    static func code(_ action: PlannedAction.Kind) -> Int { PlannedAction.Kind.allCases.firstIndex(of: action) ?? 0 }
    static func code(_ outcome: RecordOutcome.Kind) -> Int { RecordOutcome.Kind.allCases.firstIndex(of: outcome) ?? 0 }
    static func action(_ code: Int) -> PlannedAction.Kind {
        PlannedAction.Kind.allCases.indices.contains(code) ? PlannedAction.Kind.allCases[code] : .reject
    }
    static func outcome(_ code: Int) -> RecordOutcome.Kind {
        RecordOutcome.Kind.allCases.indices.contains(code) ? RecordOutcome.Kind.allCases[code] : .failed
    }
}
