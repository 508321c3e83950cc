/// Plans a window of records: map, spot in-file duplicates, look the keys up in one round, plan each.
///
/// A dry run and a real run plan the same way, so the dry run shows what the run will do. Records that
/// share a key become one contact, and the earlier record wins: a later record only fills the fields the
/// earlier one left empty. Inside one window its values are merged into the earlier record's draft; a
/// record that shares a key with a record of an earlier window is, in a real run, looked up again in the
/// workspace (where the earlier window has put its contact by then) and planned to fill empty fields
/// only; a dry run, which wrote nothing, reports it as merged. Earlier-wins keeps a re-run of the same
/// input from writing anything: under later-wins the earlier record would undo the later one's values
/// on every run, and the later one would set them again.
struct WindowPlanner {
    /// What to do with a record whose key an earlier window had.
    enum EarlierWindowDuplicates {
        /// Report it as merged (a dry run: the earlier contact does not exist yet).
        case reportMerged
        /// Look it up through this matcher, which sees what earlier windows wrote.
        case lookUp(ContactMatcher)
    }

    /// The source index of the run's workspace and source: each planned record gets its
    /// ``DraftFingerprint``, and when `trusted` (`--incremental`, not a verifying run) a record whose key
    /// the index holds with the same hash is unchanged without a lookup.
    struct SourceIndex: Sendable {
        var trusted: Bool
        var lookup: @Sendable ([String]) async throws -> [String: SourceIndexEntry]
    }

    let mapper: Mapper
    /// The same mapper on every core, for windows whose mapping has phones.
    private let parallel: ParallelMapper
    let planner: Planner
    var sourceIndex: SourceIndex?
    let matcher: ContactMatcher
    let earlierWindowDuplicates: EarlierWindowDuplicates
    private var duplicates: InFileDuplicates
    /// The growing choice lists: drafts are spelled as their options, and new options are collected.
    private var choices: ChoiceOptions

    init(
        mapper: Mapper, planner: Planner, matcher: ContactMatcher, earlierWindowDuplicates: EarlierWindowDuplicates,
        choices: ChoiceOptions = ChoiceOptions(options: [:])
    ) {
        self.choices = choices
        self.mapper = mapper
        self.parallel = ParallelMapper(mapper: mapper)
        self.planner = planner
        self.matcher = matcher
        self.earlierWindowDuplicates = earlierWindowDuplicates
        self.duplicates = InFileDuplicates(keys: matcher.keys)
    }

    /// Registers the keys of records a resumed run has already committed, so that a later record with one
    /// of them is still treated as an in-file duplicate (filling gaps only) rather than as a record of its
    /// own, which would override what the earlier one set.
    mutating func remember(_ record: SourceRecord, id: RecordID) {
        if case .success(let draft) = mapper.map(record, positions: &rememberedPositions) { _ = duplicates.earlierRecord(for: draft, id: id) }
    }

    /// The source positions of the records ``remember(_:id:)`` maps, kept between them (a resumed run maps
    /// every committed record again: comparing the field names for each one took about 30% of that).
    private var rememberedPositions = SourcePositions()

    /// The options the windows planned since the last call add to choice lists, by property name: a run
    /// adds them to the workspace before it pushes the window.
    mutating func takeAddedOptions() -> [String: [String]] { choices.takeAdded() }

    /// A window planned but for its records that share a key with an earlier window's record: those are
    /// looked up once the earlier window is written (``complete(_:)``).
    struct PreparedWindow: Sendable {
        fileprivate var planned: [PlannedRecord]
        fileprivate var again: [(position: Int, draft: ContactDraft)]
    }

    /// The plan of a window, in input order.
    mutating func plan(_ window: RecordWindow) async throws -> WindowPlan {
        try await complete(try await prepare(window))
    }

    /// Maps the window (on every core), spots in-file duplicates, settles what the source index can, and looks up the
    /// records whose keys no earlier record had. It reads nothing an earlier window writes, so a run
    /// prepares the next window while it pushes this one.
    mutating func prepare(_ window: RecordWindow) async throws -> PreparedWindow {
        var planned: [PlannedRecord] = []
        planned.reserveCapacity(window.items.count)
        var drafts: [ContactDraft?] = []  // by position in `planned`: the drafts still to be matched
        var positionOfRecord: [RecordID: Int] = [:]  // the record that joins its later twins in this window
        var fresh: [Int] = []  // positions to look up through the run's matcher
        var again: [Int] = []  // positions to look up through the live matcher
        // Mapping is pure and the costly part (phones): it runs on every core first, and the window's
        // order-dependent steps (in-file duplicates, choice lists) then take the results in order.
        let mapped = parallel.isParallel ? await parallel.map(window) : nil
        var positions = SourcePositions()
        for (index, (id, item)) in window.items.enumerated() {
            let position = planned.count
            drafts.append(nil)
            switch item {
            case .reject(let unreadable):
                planned.append(
                    PlannedRecord(id: id, location: unreadable.location, action: .reject(RecordReject(unreadable)), excerpt: unreadable.excerpt))
            case .record(let record):
                var draft: ContactDraft
                switch mapped?[index] ?? mapper.map(record, positions: &positions) {
                case .failure(let reject):
                    planned.append(PlannedRecord(id: id, location: record.location, action: .reject(reject), source: record))
                    continue
                case .success(let mapped): draft = mapped
                }
                choices.settle(&draft)
                // Until the lookup says otherwise, a draft creates a contact.
                var entry = PlannedRecord(id: id, location: record.location, action: .create(draft), notes: draft.notes, source: record)
                if let earlier = duplicates.earlierRecord(for: draft, id: id) {
                    if let target = positionOfRecord[earlier], let first = drafts[target] {
                        // The record it joins is in this window (an earlier-window record looked up again counts).
                        drafts[target] = first.filled(from: draft)
                        entry.action = .merged(into: planned[target].id, draft: draft)
                    } else if case .lookUp = earlierWindowDuplicates {
                        drafts[position] = draft
                        again.append(position)
                        positionOfRecord[earlier] = position  // later twins in this window merge into it
                    } else {
                        entry.action = .merged(into: earlier, draft: draft)
                    }
                } else {
                    drafts[position] = draft
                    fresh.append(position)
                    positionOfRecord[id] = position
                }
                planned.append(entry)
            }
        }
        if let sourceIndex { fresh = try await settleFromIndex(fresh, planned: &planned, drafts: drafts, index: sourceIndex) }
        for (position, match) in zip(fresh, try await matcher.match(fresh.compactMap { drafts[$0] })) {
            if let draft = drafts[position] { planned[position].action = planner.plan(draft, match: match) }
        }
        return PreparedWindow(planned: planned, again: again.compactMap { position in drafts[position].map { (position, $0) } })
    }

    /// Plans the prepared window's records that share a key with an earlier window's record, looking them
    /// up in the workspace where the earlier windows have written by now, to fill empty fields only.
    func complete(_ prepared: PreparedWindow) async throws -> WindowPlan {
        var planned = prepared.planned
        if case .lookUp(let live) = earlierWindowDuplicates, !prepared.again.isEmpty {
            let fill = Planner(policy: PlanPolicy(onExisting: planner.policy.onExisting == .skip ? .skip : .fillEmpty, onMultiple: planner.policy.onMultiple))
            for ((position, draft), match) in zip(prepared.again, try await live.match(prepared.again.map(\.draft))) {
                planned[position].action = fill.plan(draft, match: match)
            }
        }
        return WindowPlan(records: planned)
    }

    /// Gives the records to look up their fingerprints; when the index is trusted, plans those it holds
    /// with the same hash as unchanged. Returns the positions still to look up.
    private func settleFromIndex(_ fresh: [Int], planned: inout [PlannedRecord], drafts: [ContactDraft?], index: SourceIndex) async throws -> [Int] {
        for position in fresh {
            if let draft = drafts[position] {
                planned[position].fingerprint = DraftFingerprint(draft: draft, keys: matcher.keys, policy: planner.policy)
            }
        }
        guard index.trusted else { return fresh }
        let known = try await index.lookup(fresh.compactMap { planned[$0].fingerprint?.key })
        guard !known.isEmpty else { return fresh }
        return fresh.filter { position in
            guard let fingerprint = planned[position].fingerprint, let entry = known[fingerprint.key], entry.hash == fingerprint.hash,
                let draft = drafts[position], let key = matcher.keys.first(where: { $0.value(of: draft) != nil })
            else { return true }
            planned[position].action = .unchanged(contactID: entry.contact, key: key)
            planned[position].notes.append("unchanged since run \(entry.run): the same values as then (--incremental), so not looked up")
            return false
        }
    }
}
