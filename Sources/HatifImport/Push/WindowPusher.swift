import HatifAPI

/// Carries out the plan of one window: the creates as bulk vCard files, then Update Contact for the
/// created contacts that have property values, and Update Contact for the updates — all through one
/// bounded pool of in-flight requests.
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

    private enum Job: Sendable {
        /// A bulk file: its index in the window's files.
        case bulk(file: Int)
        /// Update Contact for the record at `position`; `created` when it completes a create.
        case update(position: Int, contactID: String, input: ContactInput, created: Bool)
    }

    private enum Done: Sendable {
        case bulk(file: Int, outcomes: [BulkCreator.Outcome])
        case update(position: Int, contactID: String, created: Bool, refusal: String?)
    }

    /// The outcome of every record of `plan`, in order; nil when stopped before the window finished.
    /// `claims` knows which contacts the records of recent windows own (for reconciling unknown outcomes).
    func push(_ plan: WindowPlan, claims: ContactClaims, progress: RunProgress? = nil) async throws -> [RecordOutcome]? {
        let records = plan.records
        var outcomes = [RecordOutcome?](repeating: nil, count: records.count)
        let createPositions = plan.creates
        var jobs: [Job] = []
        for position in plan.updates {
            if case .update(let id, _, _, let input) = records[position].action {
                jobs.append(.update(position: position, contactID: id, input: input, created: false))
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
        let finished = try await runBounded(
            jobs, limit: concurrency, shouldStop: shouldStop,
            run: { job -> Done in
                switch job {
                case .bulk(let index):
                    return .bulk(file: index, outcomes: try await creator.send(files[index], claims: claims))
                case .update(let position, let id, let input, let created):
                    do {
                        _ = try await client.updateContact(id: id, input)
                        return .update(position: position, contactID: id, created: created, refusal: nil)
                    } catch let error as HatifAPIError where Self.concernsRecord(error) {
                        return .update(position: position, contactID: id, created: created, refusal: "\(error)")
                    }
                }
            },
            collect: { done -> [Job] in
                switch done {
                case .bulk(let index, let results):
                    var followUps: [Job] = []
                    for (offset, result) in results.enumerated() {
                        let position = createPositions[firstPosition[index] + offset]
                        let draft = files[index].drafts[offset]
                        switch result {
                        case .created(let id) where !draft.properties.isEmpty:
                            followUps.append(.update(position: position, contactID: id, input: draft.contactInput, created: true))
                        case .created(let id):
                            outcomes[position] = .created(contactID: id)
                        case .failed(let reason):
                            outcomes[position] = .failed(reason: reason, contactID: nil)
                        }
                    }
                    await progress?.finished(results.count - followUps.count)
                    return followUps
                case .update(let position, let id, let created, let refusal):
                    if let refusal {
                        let reason = created ? "created, but its property values were refused: \(refusal)" : refusal
                        outcomes[position] = .failed(reason: reason, contactID: id)
                    } else {
                        outcomes[position] = created ? .created(contactID: id) : .updated(contactID: id)
                    }
                    await progress?.finished(1)
                    return []
                }
            })
        guard finished else { return nil }
        return Self.settleMerged(records, outcomes)
    }

    /// Merged records end up as the record they joined: in its contact, or failed or in conflict with it.
    private static func settleMerged(_ records: [PlannedRecord], _ outcomes: [RecordOutcome?]) -> [RecordOutcome] {
        var outcomeOf: [RecordID: RecordOutcome] = [:]
        for (record, outcome) in zip(records, outcomes) {
            if let outcome { outcomeOf[record.id] = outcome }
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
