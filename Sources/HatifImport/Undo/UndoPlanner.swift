import HatifAPI

/// Plans an undo from the journal of the run it undoes, a window of journal entries at a time: each
/// contact the run created is deleted, each contact it updated gets back the values it had before, and
/// each contact it deleted (`--on-missing delete`) is created again; a contact someone changed since the
/// run wrote it is left alone as a conflict, unless `force`.
///
/// A contact the run wrote more than once (a record updating what an earlier window created) is planned
/// once, at its first entry, from all its entries: the oldest value of each field is what goes back.
struct UndoPlanner: Sendable {
    let client: HatifClient
    let store: any StateStore
    /// The run undone.
    let target: RunRecord
    /// Undo contacts changed since the run wrote them too.
    let force: Bool
    /// The target's input names, for the report.
    let files: [String]
    /// Contacts that more than one entry of the target wrote.
    let writtenTwice: Set<String>

    /// One contact to undo.
    struct Item {
        var id: RecordID
        var line: Int
        var contact: String
        var key: MatchKey
        /// The run created it.
        var created = false
        /// What it held before the run deleted it.
        var before: ContactSnapshot?
        /// Each field the run changed: the value before the run, and the one it wrote last.
        var changes: [FieldChange] = []
        /// Its fingerprint after the run's last write.
        var written: Int64?
    }

    static func make(client: HatifClient, store: any StateStore, target: RunRecord, force: Bool) async throws -> UndoPlanner {
        UndoPlanner(
            client: client, store: store, target: target, force: force, files: target.inputs.map(\.path),
            writtenTwice: try await store.contactsWrittenTwice(run: target.id))
    }

    /// The plan of the journal entries after `after` (up to `limit`), and the last entry's id; nil at the
    /// end. `inFlight` names the items an interrupted undo had sent: they are not checked for changes
    /// (the undo itself may have made them), only for being done already.
    func nextWindow(after: RecordID?, limit: Int, inFlight: Set<RecordID> = []) async throws -> (plan: WindowPlan, last: RecordID)? {
        let page = try await store.journalPage(run: target.id, after: after, limit: limit)
        guard let last = page.last?.id else { return nil }
        // Every entry of the page's contacts written more than once, in one query.
        let twice = Set(page.compactMap { $0.wroteContact ? $0.contact : nil }.filter(writtenTwice.contains))
        let entriesOf = Dictionary(
            grouping: try await store.journalEntries(run: target.id, contacts: Array(twice)).filter(\.wroteContact), by: { $0.contact ?? "" })
        var items: [Item] = []
        for entry in page where entry.wroteContact {
            guard let contact = entry.contact else { continue }
            if let all = entriesOf[contact] {
                // Planned at its first entry only.
                guard all.first?.id == entry.id else { continue }
                items.append(Self.item(all, contact: contact))
            } else {
                items.append(Self.item([entry], contact: contact))
            }
        }
        let current = try await SearchContactIndex(client: client).contacts(ids: items.filter { $0.before == nil }.map(\.contact))
        let back = try await recreated(items.compactMap(\.before))
        let records = items.map { item in
            plan(item, current: current[item.contact.lowercased()], back: item.before.flatMap { back[$0] }, inFlight: inFlight.contains(item.id))
        }
        return (WindowPlan(records: records), last)
    }

    /// Folds a contact's entries, in input order, into one item.
    static func item(_ entries: [JournalEntry], contact: String) -> Item {
        let first = entries[0]
        var item = Item(id: first.id, line: first.line, contact: contact, key: first.key.flatMap(MatchKey.init) ?? .phone)
        for entry in entries {
            if entry.action == .create { item.created = true }
            if let before = entry.before { item.before = before }
            for change in entry.changes {
                if let index = item.changes.firstIndex(where: { $0.field == change.field }) {
                    item.changes[index].new = change.new
                } else {
                    item.changes.append(change)
                }
            }
            item.written = entry.written
        }
        return item
    }

    private func plan(_ item: Item, current: ContactDto?, back: ContactDto?, inFlight: Bool) -> PlannedRecord {
        let location = SourceLocation(
            file: files.indices.contains(item.id.fileIndex) ? files[item.id.fileIndex] : "\(MissingContact.fileLabel) in run \(target.id)", line: item.line,
            byteOffset: 0)
        func record(_ action: PlannedAction, _ notes: [String] = []) -> PlannedRecord {
            PlannedRecord(id: item.id, location: location, action: action, notes: notes)
        }
        let run = target.id
        if let before = item.before {
            if let back { return record(.unchanged(contactID: back.id, key: item.key), ["back already: contact \(back.id) holds its phone or email"]) }
            return record(.create(before.draft(ordinal: item.id.ordinal, location: location)), ["run \(run) deleted it (gone from the source): created again"])
        }
        guard let current else {
            if item.created { return record(.unchanged(contactID: item.contact, key: item.key), ["gone from the workspace already"]) }
            return record(.conflict(contactIDs: [item.contact], key: item.key), ["gone from the workspace since run \(run) updated it: nothing to put back"])
        }
        let changedSince = !inFlight && changed(current, since: item)
        if item.created {
            guard !changedSince || force else {
                return record(
                    .conflict(contactIDs: [item.contact], key: item.key),
                    ["changed since run \(run) created it: kept (--force deletes it anyway)"])
            }
            return record(.delete(contactID: item.contact), changedSince ? ["changed since run \(run) created it; deleted (--force)"] : [])
        }
        let reverse = item.changes.compactMap { change -> FieldChange? in
            let now = Self.value(of: change.field, in: current)
            return Self.same(change.field, now, change.old) ? nil : FieldChange(field: change.field, old: now, new: change.old)
        }
        if reverse.isEmpty { return record(.unchanged(contactID: item.contact, key: item.key), ["already as before run \(run)"]) }
        guard !changedSince || force else {
            return record(
                .conflict(contactIDs: [item.contact], key: item.key),
                ["changed since run \(run) updated it: kept (--force puts back the fields run \(run) changed anyway)"])
        }
        func restored(_ field: String, _ now: String?) -> String? {
            guard let change = reverse.first(where: { $0.field == field }) else { return now }
            return change.new
        }
        // Update Contact replaces every standard field: those the run did not change are sent as they are.
        let properties = reverse.compactMap { change -> PropertyValueInput? in
            guard change.field.hasPrefix("property:"), let value = change.new else { return nil }
            return PropertyValueInput(name: String(change.field.dropFirst(9)), value: value)
        }
        let input = ContactInput(
            firstName: restored("FirstName", current.firstName), lastName: restored("LastName", current.lastName),
            phoneNumber: restored("PhoneNumber", current.phoneNumber), email: restored("Email", current.email),
            properties: properties.isEmpty ? nil : properties)
        return record(
            .update(contactID: item.contact, key: item.key, changes: reverse, input: input),
            changedSince ? ["changed since run \(run) updated it; its fields put back anyway (--force)"] : [])
    }

    /// Whether someone changed the contact after the run's last write: its fingerprint differs from the
    /// one the run recorded, or, where the run recorded none, a field the run wrote holds another value.
    private func changed(_ current: ContactDto, since item: Item) -> Bool {
        if let written = item.written { return ContactState.fingerprint(current) != written }
        return item.changes.contains { !Self.same($0.field, Self.value(of: $0.field, in: current), $0.new) }
    }

    static func value(of field: String, in contact: ContactDto) -> String? {
        switch field {
        case "FirstName": contact.firstName
        case "LastName": contact.lastName
        case "PhoneNumber": contact.phoneNumber
        case "Email": contact.email
        default: contact.properties.first { "property:\($0.name)" == field }?.value
        }
    }

    /// Values compare as the planner compares them: empty is missing, emails without case.
    static func same(_ field: String, _ a: String?, _ b: String?) -> Bool {
        let (x, y) = (a.flatMap { $0.isEmpty ? nil : $0 }, b.flatMap { $0.isEmpty ? nil : $0 })
        return field == "Email" ? x?.lowercased() == y?.lowercased() : x == y
    }

    /// For contacts to create again: the workspace contact that already holds each one's phone (else
    /// email), when one does (created by an undo that stopped, or by someone since).
    private func recreated(_ snapshots: [ContactSnapshot]) async throws -> [ContactSnapshot: ContactDto] {
        guard !snapshots.isEmpty else { return [:] }
        func value(_ snapshot: ContactSnapshot) -> MatchKeyValue? {
            if let phone = snapshot.phone { return MatchKeyValue(.phone, phone) }
            return snapshot.email.map { MatchKeyValue(.email, $0.lowercased()) }
        }
        let found = try await SearchContactIndex(client: client).contacts(for: Set(snapshots.compactMap(value)))
        var back: [ContactSnapshot: ContactDto] = [:]
        for snapshot in snapshots {
            if let key = value(snapshot), let contact = found[key]?.first { back[snapshot] = contact }
        }
        return back
    }
}
