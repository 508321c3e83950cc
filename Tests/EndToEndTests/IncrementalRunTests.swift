import Foundation
import HatifAPI
import HatifImport
import HatifSandbox
import HatifTestSupport
import Testing

@Suite("Incremental runs: the source index in the run state")
struct IncrementalRunTests {
    /// Rewrites the fixture's input: records `changed` get a new first name, and `added` new records follow.
    static func nextExport(_ fixture: ImportFixture, changed: [Int], added: Range<Int>) throws {
        var lines = try String(contentsOfFile: fixture.input, encoding: .utf8).split(separator: "\n").map(String.init)
        for index in changed { lines[index + 1] = lines[index + 1].replacingOccurrences(of: "N\(index),", with: "Changed\(index),") }
        for index in added { lines.append("N\(index),\(ImportFixture.phone(index)),n\(index)@example.com,\(index % 2 == 0 ? "Gold" : "")") }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: fixture.input))
    }

    @Test(
        "--incremental: records unchanged since a committed run are neither looked up nor written; changed and added ones are; --verify looks every record up",
        arguments: StateBackend.available)
    func incrementalRun(backend: StateBackend) async throws {
        var fixture = try ImportFixture(count: 400)
        defer { fixture.remove() }
        fixture.state = try await backend.freshLocation(in: fixture.folder)
        try await SandboxHarness.withClient { sandbox, client in
            // Windows of 20 records, so lookups count windows: 21 for 402 records.
            let first = try await Pipeline(configuration: fixture.configuration(batchSize: 20, concurrency: 1), client: client)
                .run(outputFolder: fixture.report)
            #expect(first.create == 400)

            try Self.nextExport(fixture, changed: [3, 100, 201, 399], added: 400..<402)
            await sandbox.server.statistics.reset()
            var configuration = fixture.configuration(batchSize: 20, concurrency: 1)
            configuration.incremental = true
            let second = try await Pipeline(configuration: configuration, client: client).run(outputFolder: fixture.report + "-2")
            #expect(second.records == 402 && second.unchanged == 396 && second.update == 4 && second.create == 2)
            let counts = await sandbox.server.statistics.snapshot()
            #expect(counts.count("getContacts") == 0, "no prefetch of the workspace")
            #expect(counts.count("searchContacts") <= 5, "lookups only in the 5 windows that hold the 6 changed and added records, not in 21")
            #expect(counts.count("updateContact") == 4 + 1, "4 changed, and the added one with a tier")
            #expect(counts.count("createBulkContactsVCards") == 1, "both added records are in the last window")
            var notes = 0
            try ResultsFile.forEachEntry(in: fixture.report + "-2/results.jsonl") { entry in
                if entry.reasons.contains(where: { $0.contains("--incremental") }) { notes += 1 }
            }
            #expect(notes == 396, "results.jsonl says which records the index settled")
            fixture = try ImportFixture(reusing: fixture, count: 402)
            await expectWorkspaceHolds(fixture, sandbox)
            let changed = await sandbox.server.export().contacts.first { $0.phoneNumber == ImportFixture.e164(100) }
            #expect(changed?.firstName == "Changed100")

            // Nothing changed since: an incremental run sends no lookup and no write at all.
            await sandbox.server.statistics.reset()
            let third = try await Pipeline(configuration: configuration, client: client).run(outputFolder: fixture.report + "-3")
            #expect(third.unchanged == 402)
            let quiet = await sandbox.server.statistics.snapshot()
            #expect(quiet.count("searchContacts") == 0 && quiet.writes == 0)

            // --verify: every record is looked up again.
            await sandbox.server.statistics.reset()
            configuration.verify = true
            let verified = try await Pipeline(configuration: configuration, client: client).run(outputFolder: fixture.report + "-4")
            #expect(verified.unchanged == 402)
            let searches = await sandbox.server.statistics.snapshot().count("searchContacts")
            #expect(searches >= 21, "every window looked up again: \(searches) searches")
            let runs = try await fixture.state.lastRun()
            #expect(runs?.incremental == true && runs?.fullLookup == true)
        }
    }

    @Test("every --verify-every runs an incremental run looks every record up, which mends a contact edited in Hatif since", arguments: StateBackend.available)
    func verifyEvery(backend: StateBackend) async throws {
        var prepared = try ImportFixture(count: 120)
        defer { prepared.remove() }
        prepared.state = try await backend.freshLocation(in: prepared.folder)
        let fixture = prepared
        try await SandboxHarness.withClient { sandbox, client in try await Self.verifyEveryRuns(fixture, sandbox, client) }
    }

    private static func verifyEveryRuns(_ fixture: ImportFixture, _ sandbox: RunningSandbox, _ client: HatifClient) async throws {
        _ = try await Pipeline(configuration: fixture.configuration(), client: client).run(outputFolder: fixture.report)
        let contacts = await sandbox.server.export().contacts
        let editedID = try #require(contacts.first { $0.phoneNumber == ImportFixture.e164(7) }?.id)
        let input = ContactInput(
            firstName: "Edited in Hatif", lastName: nil, phoneNumber: ImportFixture.e164(7), email: "n7@example.com")
        _ = try await client.updateContact(id: editedID, input)

        var configuration = fixture.configuration()
        configuration.incremental = true
        configuration.verifyEvery = 3
        let second = try await Pipeline(configuration: configuration, client: client).run(outputFolder: fixture.report + "-2")
        let third = try await Pipeline(configuration: configuration, client: client).run(outputFolder: fixture.report + "-3")
        let fourth = try await Pipeline(configuration: configuration, client: client).run(outputFolder: fixture.report + "-4")
        #expect([second.update, third.update, fourth.update] == [Int](arrayLiteral: 0, 0, 1), "runs 2 and 3 trust the index; run 4 is the third since the full run 1, and looks up")
        let mended = await sandbox.server.export().contacts.first { $0.id == editedID }
        #expect(mended?.firstName == "N7")
        let history = try await fixture.state.history()
        #expect(history.map(\.fullLookup) == [true, false, false, true], "newest first")
    }
}

extension ImportFixture {
    /// The same folder and files, describing `count` records (after a test appended some).
    init(reusing fixture: ImportFixture, count: Int) throws {
        self = fixture
        self.count = count
    }
}

@Suite("PostgreSQL run state: a connection lost mid-run")
struct PostgresConnectionLossTests {
    @Test(
        "a run whose PostgreSQL connection is terminated (pg_terminate_backend) stops resumably; the next run finishes with each record once",
        .enabled(if: StateBackend.available.contains(.postgres)))
    func terminatedConnection() async throws {
        var prepared = try ImportFixture(count: 1_500)
        defer { prepared.remove() }
        prepared.state = try await StateBackend.postgres.freshLocation(in: prepared.folder)
        let fixture = prepared
        let faults = FaultConfiguration(seed: 9, latencyMilliseconds: 10, rateLimit: nil)
        try await SandboxHarness.withClient(SandboxConfiguration(faults: faults)) { sandbox, client in
            try await Self.terminateThenResume(fixture, sandbox, client)
        }
    }

    private static func terminateThenResume(_ fixture: ImportFixture, _ sandbox: RunningSandbox, _ client: HatifClient) async throws {
        let configuration = fixture.configuration(batchSize: 50, concurrency: 2)
        let outcome = await withTaskGroup(of: Result<PlanSummary, any Error>.self) { group in
            group.addTask {
                do {
                    let summary = try await Pipeline(configuration: configuration, client: client).run(outputFolder: fixture.report)
                    return Result<PlanSummary, any Error>.success(summary)
                } catch {
                    return Result<PlanSummary, any Error>.failure(error)
                }
            }
            group.addTask {
                // Once a few windows are committed, end the run's session as an administrator would.
                let deadline = ContinuousClock.now + .seconds(60)
                while ((try? String(contentsOfFile: fixture.results, encoding: .utf8)) ?? "").split(separator: "\n").count < 200,
                    ContinuousClock.now < deadline
                {
                    try? await Task.sleep(for: .milliseconds(10))
                }
                _ = try? await StateBackend.terminateSessions(of: fixture.state)
                return Result<PlanSummary, any Error>.failure(CancellationError())
            }
            var first: Result<PlanSummary, any Error>?
            for await result in group {
                if case .failure(let error) = result, error is CancellationError { continue }
                first = result
            }
            return first ?? .failure(CancellationError())
        }
        guard case .failure(let error) = outcome else {
            Issue.record("the run finished although its connection was terminated")
            return
        }
        #expect(error as? StateError == .connectionLost(location: "\(fixture.state)", reason: (error as? StateError).map(Self.reason) ?? ""), "\(error)")
        let committed = try fixture.resultEntries().count
        #expect(committed < 1_500, "it stopped before the end")

        let summary = try await Pipeline(configuration: configuration, client: client).run(outputFolder: fixture.report)
        #expect(summary.records == 1_500 && summary.failed == 0)
        #expect(try fixture.resultEntries().map(\.ordinal) == Array(1...1_500), "each record once in results.jsonl")
        await expectWorkspaceHolds(fixture, sandbox)
        let history = try await fixture.state.history()
        #expect(history.count == 1 && history[0].status == .finished, "one run, resumed and finished")
    }

    private static func reason(_ error: StateError) -> String {
        if case .connectionLost(_, let reason) = error { return reason }
        return ""
    }
}
