import Foundation
import HatifAPI

/// Plans `--on-missing flag|delete` for a page of contacts gone from the source: each is looked up by id,
/// and flagged (the Date property `hatif_missing_since` set to today) or deleted (its values kept in the
/// journal for an undo). A contact flagged already, or gone from the workspace, needs no write: only the
/// source index learns it.
struct MissingPlanner: Sendable {
    let client: HatifClient
    let action: MissingPolicy.Action
    /// The file index of the records it plans: one past the run's inputs.
    let fileIndex: Int
    /// The day a flag names (`YYYY-MM-DD`, UTC).
    let today: String

    init(client: HatifClient, action: MissingPolicy.Action, fileIndex: Int, now: Date = Date()) {
        self.client = client
        self.action = action
        self.fileIndex = fileIndex
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        let day = calendar.dateComponents([.year, .month, .day], from: now)
        today = String(format: "%04d-%02d-%02d", day.year ?? 1970, day.month ?? 1, day.day ?? 1)
    }

    /// A page planned: the writes, the index changes of the contacts that need none, and what each
    /// contact to delete holds.
    struct Window {
        var plan: WindowPlan
        /// The page's contacts by the record planned for them.
        var missing: [RecordID: MissingContact]
        var index = IndexChanges()
        var before: [RecordID: ContactSnapshot] = [:]
    }

    /// Plans `page`, whose first contact is the `firstOrdinal`-th the run acts on.
    func plan(_ page: [MissingContact], firstOrdinal: Int) async throws -> Window {
        let current = try await SearchContactIndex(client: client).contacts(ids: page.map(\.contact))
        var window = Window(plan: WindowPlan(records: []), missing: [:])
        var records: [PlannedRecord] = []
        for (offset, missing) in page.enumerated() {
            guard let contact = current[missing.contact.lowercased()] else {
                window.index.removed.append(missing.key)  // gone from the workspace too
                continue
            }
            let id = RecordID(fileIndex: fileIndex, ordinal: firstOrdinal + offset)
            let location = SourceLocation(file: MissingContact.fileLabel, line: 0, byteOffset: 0)
            let key = MatchKey(String(missing.key.prefix { $0 != ":" })) ?? .phone
            let note = "gone from the source since run \(missing.run)"
            switch action {
            case .ignore:
                continue
            case .flag:
                if let since = contact.properties.first(where: { $0.name == MissingPolicy.property })?.value, !since.isEmpty {
                    window.index.upserts.append(SourceIndexEntry(key: missing.key, hash: SourceIndexEntry.flagged, contact: missing.contact, run: missing.run))
                    continue
                }
                let input = ContactInput(
                    firstName: contact.firstName, lastName: contact.lastName, phoneNumber: contact.phoneNumber, email: contact.email,
                    properties: [PropertyValueInput(name: MissingPolicy.property, value: today)])
                let change = FieldChange(field: "property:\(MissingPolicy.property)", old: nil, new: today)
                records.append(
                    PlannedRecord(
                        id: id, location: location, action: .update(contactID: contact.id, key: key, changes: [change], input: input), notes: [note]))
            case .delete:
                records.append(PlannedRecord(id: id, location: location, action: .delete(contactID: contact.id), notes: [note]))
                window.before[id] = ContactSnapshot(contact)
            }
            window.missing[id] = missing
        }
        window.plan = WindowPlan(records: records)
        return window
    }

    /// The index changes once `outcomes` are known: a flagged contact's entry is marked flagged, a deleted
    /// one's is removed.
    func indexChanges(_ window: Window, outcomes: [RecordOutcome]) -> IndexChanges {
        var changes = window.index
        for (record, outcome) in zip(window.plan.records, outcomes) {
            guard let missing = window.missing[record.id] else { continue }
            switch outcome {
            case .updated:
                changes.upserts.append(SourceIndexEntry(key: missing.key, hash: SourceIndexEntry.flagged, contact: missing.contact, run: missing.run))
            case .deleted: changes.removed.append(missing.key)
            default: break
            }
        }
        return changes
    }
}
