import HatifAPI

/// Carries out the plan of one window: the creates as bulk vCard files, then Update Contact for the
/// created contacts that have property values, Update Contact (and Delete Property Value for the values an
/// update empties) for the updates, and Delete Contact for the deletes — all through one bounded pool of
/// in-flight requests.
///
/// A refusal that concerns one record (a 4xx other than 401, 403, 408, 425 and 429) fails that record and
/// the run goes on; anything else (the API unavailable after the client's retries, authentication) stops
/// the window with the error, and the window is planned again on resume.
struct WindowPusher: Sendable {
    let client: HatifClient
    let creator: BulkCreator
    /// Requests in flight at most.
    let concurrency: Int
    /// Asked before each request is started; true stops the window unfinished.
    let shouldStop: @Sendable () -> Bool
    /// Property ids by name, for the values an update empties.
    var propertyIDs: [String: String] = [:]

    /// What a pushed window did: each record's outcome and, for each record that wrote a contact, the
    /// contact's ``ContactState`` fingerprint right after (nil where the run did not learn it).
    struct Pushed: Sendable {
        var outcomes: [RecordOutcome]
        var written: [Int64?]
    }

    private enum Job: Sendable {
        /// A bulk file: its index in the window's files.
        case bulk(file: Int)
        /// Update Contact for the record at `position` (unless `clearsOnly`), then Delete Property Value
        /// for each of `clears`; `created` when it completes a create.
        case update(position: Int, contactID: String, input: ContactInput, clears: [String], clearsOnly: Bool, created: Bool)
        /// Delete Contact.
        case delete(position: Int, contactID: String)
    }

    private enum Done: Sendable {
        /// `stored`: the contacts created with nothing to set after them, as the API stored them.
        case bulk(file: Int, outcomes: [BulkCreator.Outcome], stored: [String: ContactDto])
        case update(position: Int, contactID: String, created: Bool, refusal: String?, written: Int64?)
        case delete(position: Int, contactID: String, refusal: String?)
    }

    /// The outcome of every record of `plan`, in order; nil when stopped before the window finished.
    /// `claims` knows which contacts the records of recent windows own (for reconciling unknown outcomes).
    func push(_ plan: WindowPlan, claims: ContactClaims, progress: RunProgress? = nil) async throws -> Pushed? {
        let records = plan.records
        var outcomes = [RecordOutcome?](repeating: nil, count: records.count)
        var written = [Int64?](repeating: nil, count: records.count)
        let createPositions = plan.creates
        var jobs: [Job] = []
        for position in plan.updates {
            switch records[position].action {
            case .update(let id, _, let changes, let input):
                // A property the update empties: Update Contact only sets the properties it lists.
                let clears = changes.compactMap { change in
                    change.new == nil && change.field.hasPrefix("property:") ? String(change.field.dropFirst(9)) : nil
                }
                jobs.append(
                    .update(
                        position: position, contactID: id, input: input, clears: clears, clearsOnly: clears.count == changes.count,
                        created: false))
            case .delete(let id):
                jobs.append(.delete(position: position, contactID: id))
            default: break
            }
        }
        for position in plan.settled {
            switch records[position].action {
            case .unchanged(let id, _): outcomes[position] = .unchanged(contactID: id)
            case .conflict: outcomes[position] = .conflict
            case .reject: outcomes[position] = .rejected
            default: break  // merged: settled below, from the record it joined
            }
        }
        let drafts = createPositions.compactMap { position -> ContactDraft? in
            if case .create(let draft) = records[position].action { return draft }
            return nil
        }
        let files = creator.files(for: drafts)
        var firstPosition: [Int] = []  // each file's first index into createPositions
        var start = 0
        for file in files {
            firstPosition.append(start)
            start += file.drafts.count
        }
        jobs.insert(contentsOf: files.indices.map { Job.bulk(file: $0) }, at: 0)

        let client = self.client
        let creator = self.creator
        let propertyIDs = self.propertyIDs
        // The pool mostly waits on calls: its async code runs on the HTTP client's event loop, where each call
        // then costs no thread hop (HatifClient.onCallExecutor). The CPU-bound part, the bulk files, is made above.
        let finished = try await client.onCallExecutor {
            try await runBounded(
                jobs, limit: concurrency, shouldStop: shouldStop,
                run: { job -> Done in
                    switch job {
                    case .bulk(let index):
                        let outcomes = try await creator.send(files[index], claims: claims)
                        // What the API made of the cards that get no property values after them, read back in one
                        // search, so that an undo compares the contact with the server's own values (best effort:
                        // without it, the card's values stand in).
                        let alone = zip(outcomes, files[index].drafts).compactMap { outcome, draft -> String? in
                            if case .created(let id) = outcome, draft.properties.isEmpty { return id }
                            return nil
                        }
                        let stored = alone.isEmpty ? [:] : (try? await SearchContactIndex(client: client).contacts(ids: alone)) ?? [:]
                        return .bulk(file: index, outcomes: outcomes, stored: stored)
                    case .update(let position, let id, let input, let clears, let clearsOnly, let created):
                        do {
                            let contact = clearsOnly ? nil : try await client.updateContact(id: id, input)
                            for name in clears {
                                // A property the run did not map (the flag of --on-missing) is looked up when needed.
                                let known = propertyIDs[name]
                                let found = known == nil ? try await client.allContactProperties().first { $0.name == name }?.id : nil
                                guard let property = known ?? found else {
                                    return .update(
                                        position: position, contactID: id, created: created,
                                        refusal: "the property \(name) is not in the workspace", written: nil)
                                }
                                try await Self.ignoringNotFound { try await client.deletePropertyValue(contactID: id, propertyID: property) }
                            }
                            return .update(
                                position: position, contactID: id, created: created, refusal: nil,
                                written: contact.map { ContactState.fingerprint($0, without: Set(clears)) })
                        } catch let error as HatifAPIError where Self.concernsRecord(error) {
                            return .update(position: position, contactID: id, created: created, refusal: "\(error)", written: nil)
                        }
                    case .delete(let position, let id):
                        do {
                            try await Self.ignoringNotFound { try await client.deleteContact(id: id) }
                            return .delete(position: position, contactID: id, refusal: nil)
                        } catch let error as HatifAPIError where Self.concernsRecord(error) {
                            return .delete(position: position, contactID: id, refusal: "\(error)")
                        }
                    }
                },
                collect: { done -> [Job] in
                    switch done {
                    case .bulk(let index, let results, let stored):
                        var followUps: [Job] = []
                        for (offset, result) in results.enumerated() {
                            let position = createPositions[firstPosition[index] + offset]
                            let draft = files[index].drafts[offset]
                            switch result {
                            case .created(let id) where !draft.properties.isEmpty:
                                // Until the follow-up lands, the contact holds what the bulk file gave it.
                                written[position] = ContactState.fingerprint(createdFrom: draft)
                                followUps.append(
                                    .update(position: position, contactID: id, input: draft.contactInput, clears: [], clearsOnly: false, created: true))
                            case .created(let id):
                                outcomes[position] = .created(contactID: id)
                                written[position] = stored[id.lowercased()].map { ContactState.fingerprint($0) } ?? ContactState.fingerprint(createdFrom: draft)
                            case .failed(let reason):
                                outcomes[position] = .failed(reason: reason, contactID: nil)
                            }
                        }
                        await progress?.finished(results.count - followUps.count)
                        return followUps
                    case .update(let position, let id, let created, let refusal, let fingerprint):
                        if let refusal {
                            let reason = created ? "created, but its property values were refused: \(refusal)" : refusal
                            outcomes[position] = .failed(reason: reason, contactID: id)
                        } else {
                            outcomes[position] = created ? .created(contactID: id) : .updated(contactID: id)
                            written[position] = fingerprint
                        }
                        await progress?.finished(1)
                        return []
                    case .delete(let position, let id, let refusal):
                        outcomes[position] = refusal.map { .failed(reason: $0, contactID: id) } ?? .deleted(contactID: id)
                        await progress?.finished(1)
                        return []
                    }
                })
        }
        guard finished else { return nil }
        return Pushed(outcomes: Self.settleMerged(records, outcomes), written: written)
    }

    /// Runs a delete; a 404 means what it was to remove is gone already, which is what it was for.
    private static func ignoringNotFound(_ delete: () async throws -> Void) async throws {
        do {
            try await delete()
        } catch let error as HatifAPIError {
            guard case .response(let details) = error, details.status == 404 else { throw error }
        }
    }

    /// Merged records end up as the record they joined: in its contact, or failed or in conflict with it.
    private static func settleMerged(_ records: [PlannedRecord], _ outcomes: [RecordOutcome?]) -> [RecordOutcome] {
        // Only the records that others joined are looked up (a window of 2,000 has a few dozen).
        var joined = Set<RecordID>()
        for (record, outcome) in zip(records, outcomes) where outcome == nil {
            if case .merged(let into, _) = record.action { joined.insert(into) }
        }
        var outcomeOf: [RecordID: RecordOutcome] = [:]
        if !joined.isEmpty {
            for (record, outcome) in zip(records, outcomes) where joined.contains(record.id) {
                if let outcome { outcomeOf[record.id] = outcome }
            }
        }
        return zip(records, outcomes).map { record, outcome in
            if let outcome { return outcome }
            guard case .merged(let into, _) = record.action else { return .failed(reason: "no outcome", contactID: nil) }
            switch outcomeOf[into] {
            case .conflict?: return .conflict
            case .failed(let reason, let id)?: return .failed(reason: "it joined record \(into.ordinal), which failed: \(reason)", contactID: id)
            case let joined?: return .merged(contactID: joined.contactID)
            case nil: return .merged(contactID: nil)
            }
        }
    }

    /// Whether an API error concerns the record sent (so the run goes on without it) rather than the API.
    static func concernsRecord(_ error: HatifAPIError) -> Bool {
        guard case .response(let details) = error else { return false }
        return (400..<500).contains(details.status) && ![401, 403, 408, 425, 429].contains(details.status)
    }
}
