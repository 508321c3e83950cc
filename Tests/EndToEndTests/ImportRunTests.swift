import Foundation
import HatifAPI
import HatifImport
import HatifSandbox
import HatifTestSupport
import Synchronization
import Testing

/// A folder with a CSV of `count` contacts (every other one with a tier property) and its mapping.
struct ImportFixture {
    let folder: URL
    let input: String
    let mapping: MappingFile
    var count: Int

    static let mappingText = TestMappings.contactsWithTier

    init(count: Int, extraRows: String = "") throws {
        folder = FileManager.default.temporaryDirectory.appending(path: "import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        input = folder.appending(path: "contacts.csv").path
        var csv = "name,phone,email,tier\n"
        for index in 0..<count { csv += "N\(index),\(Self.phone(index)),n\(index)@example.com,\(index % 2 == 0 ? "Gold" : "")\n" }
        csv += extraRows
        try Data(csv.utf8).write(to: URL(fileURLWithPath: input))
        mapping = try MappingFile.parse(Self.mappingText)
        self.count = count
        state = .sqlite(path: folder.appending(path: "state.sqlite").path)
    }

    /// The E.164 phone of contact `index`.
    static func e164(_ index: Int) -> String { "+9665" + String(format: "%08d", index) }
    /// The national form the CSV holds.
    static func phone(_ index: Int) -> String { "05" + String(format: "%08d", index) }

    var report: String { folder.appending(path: "out").path }
    var results: String { folder.appending(path: "out/results.jsonl").path }

    /// The run state (SQLite in the fixture's folder unless a test sets another).
    var state: StateLocation

    func configuration(batchSize: Int = 100, concurrency: Int = 4, restart: Bool = false) -> Pipeline.Configuration {
        Pipeline.Configuration(
            files: [input], mapping: mapping, dedup: .search, batchSize: batchSize, concurrency: concurrency, state: state, restart: restart)
    }

    /// The lines of `results.jsonl`, decoded.
    func resultEntries() throws -> [PlanEntry] {
        var entries: [PlanEntry] = []
        try ResultsFile.forEachEntry(in: results) { entries.append($0) }
        return entries
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

/// Checks the workspace against the fixture: one contact per phone, every tier as expected.
func expectWorkspaceHolds(_ fixture: ImportFixture, _ sandbox: RunningSandbox, sourceLocation: Testing.SourceLocation = #_sourceLocation) async {
    let contacts = await sandbox.server.export().contacts
    let byPhone = Dictionary(grouping: contacts, by: { $0.phoneNumber ?? "" })
    let duplicated = byPhone.filter { $0.value.count > 1 }.map(\.key)
    #expect(duplicated.isEmpty, "duplicated phones: \(duplicated.prefix(5))", sourceLocation: sourceLocation)
    var missing: [Int] = []
    var wrongTier: [Int] = []
    for index in 0..<fixture.count {
        guard let contact = byPhone[ImportFixture.e164(index)]?.first else {
            missing.append(index)
            continue
        }
        let tier = contact.properties.first { $0.name == "tier" }?.value
        if tier != (index % 2 == 0 ? "Gold" : nil) { wrongTier.append(index) }
    }
    #expect(missing.isEmpty, "missing contacts: \(missing.prefix(5)) of \(missing.count)", sourceLocation: sourceLocation)
    #expect(wrongTier.isEmpty, "wrong tier: \(wrongTier.prefix(5)) of \(wrongTier.count)", sourceLocation: sourceLocation)
}

/// Counts calls and says "stop" from the `after`-th call on.
final class StopAfter: Sendable {
    private let calls = Atomic<Int>(0)
    private let after: Int
    init(_ after: Int) { self.after = after }
    @Sendable func callAsFunction() -> Bool { calls.add(1, ordering: .relaxed).newValue >= after }
}

@Suite("Import runs against the in-process sandbox")
struct ImportRunTests {
    @Test("a full import creates, updates, sets properties, rejects and merges; running it again makes zero writes, in-file duplicates across windows included")
    func fullImportThenRerun() async throws {
        let fixture = try ImportFixture(count: 1_000, extraRows: "Bad,12345,,Gold\nTwin,0500000998,,Gold\nEarly,0500000020,,Gold\nMailOnly,12345,mail.only@example.com,Gold\n")
        defer { fixture.remove() }
        try await SandboxHarness.withClient { sandbox, client in
            // Contacts 0–9 exist with another name and no tier: updates.
            _ = try await client.createContactProperty(.init(name: "tier", displayName: "Tier", _type: .singleSelect, options: ["Gold", "Silver"]))
            for index in 0..<10 { _ = try await client.createContact(.init(firstName: "Old\(index)", phoneNumber: ImportFixture.e164(index))) }
            await sandbox.server.statistics.reset()

            let summary = try await Pipeline(configuration: fixture.configuration(), client: client).run(outputFolder: fixture.report)
            #expect(summary.records == 1_004)
            #expect(summary.create == 991, "990 by phone, and one whose phone is dropped but whose email is valid")
            #expect(summary.update == 10)
            #expect(summary.reject == 1)
            #expect(summary.merged == 1, "the twin of record 999, in the same window")
            #expect(summary.unchanged == 1, "the twin of record 21, three windows later, finds its contact and has nothing to add")
            #expect(summary.failed == 0)
            await expectWorkspaceHolds(fixture, sandbox)
            let twin = await sandbox.server.export().contacts.first { $0.phoneNumber == ImportFixture.e164(998) }
            #expect(twin?.firstName == "N998", "of two records with one key the earlier wins; the later only fills gaps")
            #expect(twin?.email == "n998@example.com")

            let counts = await sandbox.server.statistics.snapshot()
            #expect(counts.count("createBulkContactsVCards") == 11, "991 creates in files of at most 100, four per window of 400 records")
            #expect(counts.count("updateContact") == 10 + 496, "10 updates and 496 created with a tier (the twin joins 998's create)")
            let entries = try fixture.resultEntries()
            #expect(entries.map(\.ordinal) == Array(1...1_004), "one result per record, in order")
            #expect(entries.filter { $0.outcome == .created }.allSatisfy { $0.contactIDs.count == 1 })
            #expect(entries[1_001].outcome == .merged && entries[1_001].contactIDs == entries[998].contactIDs)
            #expect(entries[1_002].outcome == .unchanged && entries[1_002].contactIDs == entries[20].contactIDs)
            let rejects = try String(contentsOfFile: fixture.folder.appending(path: "out/rejects.csv").path, encoding: .utf8)
            #expect(rejects.split(separator: "\n").count == 2)
            #expect(rejects.contains("contacts.csv,1002,1001,phone,12345"))
            #expect(FileManager.default.fileExists(atPath: fixture.folder.appending(path: "out/report.html").path))
            let finished = try #require(try await fixture.state.lastRun())
            #expect(finished.status == .finished && finished.checkpoint == nil, "a finished run keeps no checkpoint")
            #expect(finished.summary.create == 991 && finished.exitCode == 1, "the history holds its counts and its exit code")

            await sandbox.server.statistics.reset()
            let again = try await Pipeline(configuration: fixture.configuration(), client: client).run(outputFolder: fixture.report)
            #expect(again.unchanged == 1_002, "the email-only record is found by its email, not created again")
            #expect(again.create == 0 && again.update == 0)
            #expect(await sandbox.server.statistics.snapshot().writes == 0, "re-running the same import writes nothing")
        }
    }

    @Test("an interrupted run resumes where it stopped: each record once in the results, no duplicate contact")
    func interruptThenResume() async throws {
        let fixture = try ImportFixture(count: 900)
        defer { fixture.remove() }
        try await SandboxHarness.withClient { sandbox, client in
            let stop = StopAfter(5)
            await #expect(throws: RunError.self) {
                _ = try await Pipeline(configuration: fixture.configuration(), client: client)
                    .run(outputFolder: fixture.report, shouldStop: { stop() })
            }
            let run = try #require(try await fixture.state.lastRun())
            #expect(run.status == .interrupted)
            #expect(!FileManager.default.fileExists(atPath: fixture.report + "/report.html"), "a stopped run leaves no report that looks finished")
            let checkpoint = try #require(run.checkpoint)
            let committed = try fixture.resultEntries().count
            #expect(committed < 900, "stopped before the end")
            #expect(checkpoint.summary.records == committed)
            #expect(checkpoint.resultsLength == Int64(try Data(contentsOf: URL(fileURLWithPath: fixture.results)).count))

            let summary = try await Pipeline(configuration: fixture.configuration(), client: client).run(outputFolder: fixture.report)
            #expect(summary.records == 900)
            #expect(try fixture.resultEntries().map(\.ordinal) == Array(1...900))
            #expect(summary.create + summary.unchanged + summary.update == 900)
            await expectWorkspaceHolds(fixture, sandbox)
        }
    }

    @Test("after a resume, a record with the key of a record committed before the stop still only fills gaps")
    func duplicateAcrossResume() async throws {
        let fixture = try ImportFixture(count: 500, extraRows: "Twin,0500000010,twin@example.com,Silver\n")
        defer { fixture.remove() }
        try await SandboxHarness.withClient { sandbox, client in
            // One request at a time: 1 bulk file and 50 Update Contact calls for the first 100 records,
            // then the commit; the 60th check stops the run inside the second window.
            await #expect(throws: RunError.self) {
                _ = try await Pipeline(configuration: fixture.configuration(concurrency: 1), client: client)
                    .run(outputFolder: fixture.report, shouldStop: StopAfter(60).callAsFunction)
            }
            #expect(try fixture.resultEntries().count == 100, "the first window is committed")
            _ = try await Pipeline(configuration: fixture.configuration(concurrency: 1), client: client).run(outputFolder: fixture.report)
            let contact = await sandbox.server.export().contacts.first { $0.phoneNumber == ImportFixture.e164(10) }
            #expect(contact?.firstName == "N10", "the earlier record wins across the resume too")
            #expect(contact?.email == "n10@example.com")
            #expect(contact?.properties.first?.value == "Gold")
            await expectWorkspaceHolds(fixture, sandbox)
        }
    }

    @Test("two twins of a record of an earlier window: the first is looked up again, the second joins it and names its contact")
    func twinsOfAnEarlierWindow() async throws {
        let fixture = try ImportFixture(count: 500, extraRows: "Early,0500000020,,Gold\nEarly2,0500000020,,Gold\n")
        defer { fixture.remove() }
        try await SandboxHarness.withClient { sandbox, client in
            _ = try await Pipeline(configuration: fixture.configuration(), client: client).run(outputFolder: fixture.report)
            let entries = try fixture.resultEntries()
            #expect(entries[500].outcome == .unchanged && entries[500].contactIDs == entries[20].contactIDs)
            #expect(entries[501].outcome == .merged)
            #expect(entries[501].contactIDs == entries[20].contactIDs, "the contact the twin ended up in")
            await expectWorkspaceHolds(fixture, sandbox)
        }
    }

    @Test("a record the API refuses fails with the API's reason, and its in-file twin fails with it")
    func refusedRecordAndItsTwin() async throws {
        let long = String(repeating: "x", count: 300)
        let fixture = try ImportFixture(count: 5, extraRows: "\(long),0500009000,,Gold\nTwin,0500009000,,\n")
        defer { fixture.remove() }
        try await SandboxHarness.withClient { sandbox, client in
            let summary = try await Pipeline(configuration: fixture.configuration(), client: client).run(outputFolder: fixture.report)
            #expect(summary.create == 5)
            #expect(summary.failed == 2, "\(summary)")
            let entries = try fixture.resultEntries()
            #expect(entries[5].outcome == .failed)
            #expect(entries[6].outcome == .failed)
            #expect(entries[6].reasons.first?.contains("it joined record 6, which failed") == true, "\(entries[6].reasons)")
            let rejects = try String(contentsOfFile: fixture.folder.appending(path: "out/rejects.csv").path, encoding: .utf8)
            #expect(rejects.split(separator: "\n").count == 3, "both are in rejects.csv for fixing")
            #expect(await sandbox.server.export().contacts.count == 5)
        }
    }

    @Test("a run resumed with its report folder gone (a new machine) rebuilds results.jsonl and rejects.csv from the journal")
    func resumeRebuildsReportFromJournal() async throws {
        let fixture = try ImportFixture(count: 900, extraRows: "Bad,12345,,\n")
        defer { fixture.remove() }
        try await SandboxHarness.withClient { sandbox, client in
            await #expect(throws: RunError.self) {
                _ = try await Pipeline(configuration: fixture.configuration(), client: client)
                    .run(outputFolder: fixture.report, shouldStop: StopAfter(4).callAsFunction)
            }
            let committed = try fixture.resultEntries().count
            try FileManager.default.removeItem(atPath: fixture.report)
            let summary = try await Pipeline(configuration: fixture.configuration(), client: client).run(outputFolder: fixture.report)
            #expect(summary.records == 901 && summary.reject == 1 && summary.failed == 0, "\(summary)")
            let entries = try fixture.resultEntries()
            #expect(entries.map(\.ordinal) == Array(1...901), "each record once, the earlier ones from the journal")
            let rebuilt = entries.prefix(committed)
            #expect(rebuilt.allSatisfy { [.created, .updated, .unchanged].contains($0.outcome) && $0.contactIDs.count == 1 })
            #expect(rebuilt.filter { $0.outcome == .created }.allSatisfy { $0.changes.isEmpty }, "the journal keeps no values of a create")
            #expect(rebuilt.filter { $0.outcome == .updated }.allSatisfy { !$0.changes.isEmpty }, "but an update's changes")
            // A create the stopped attempt had sent is found and completed: it is the run's create, noted as found.
            let found = "found in the workspace, so not created again"
            #expect(entries.suffix(901 - committed).filter { $0.outcome == .created && !$0.reasons.contains { $0.contains(found) } }.allSatisfy { !$0.changes.isEmpty })
            let rejects = try String(contentsOfFile: fixture.folder.appending(path: "out/rejects.csv").path, encoding: .utf8)
            #expect(rejects.split(separator: "\n").count == 2, "the header and the one reject")
            await expectWorkspaceHolds(fixture, sandbox)
        }
    }

    @Test("a run refuses to resume when the input or the mapping changed, and --restart starts over")
    func changedInputRefusesToResume() async throws {
        let fixture = try ImportFixture(count: 500)
        defer { fixture.remove() }
        try await SandboxHarness.withClient { sandbox, client in
            await #expect(throws: RunError.self) {
                _ = try await Pipeline(configuration: fixture.configuration(), client: client)
                    .run(outputFolder: fixture.report, shouldStop: StopAfter(2).callAsFunction)
            }
            var otherMapping = fixture.configuration()
            otherMapping.mapping.region = "AE"
            await #expect(throws: StateError.self) {
                _ = try await Pipeline(configuration: otherMapping, client: client).run(outputFolder: fixture.report)
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: fixture.input))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("Late,0599999999,,\n".utf8))
            try handle.close()
            do {
                _ = try await Pipeline(configuration: fixture.configuration(), client: client).run(outputFolder: fixture.report)
                Issue.record("resumed over a changed input")
            } catch let error as StateError {
                #expect("\(error)".contains("contacts.csv: its size changed"))
                #expect("\(error)".contains("--restart"))
            }
            let summary = try await Pipeline(configuration: fixture.configuration(restart: true), client: client).run(outputFolder: fixture.report)
            #expect(summary.records == 501)
            #expect(try fixture.resultEntries().count == 501, "a restart starts the results afresh")
            await expectWorkspaceHolds(fixture, sandbox)
        }
    }

    @Test("dropped connections and 500s after bulk writes create no duplicate and lose no record", arguments: [UInt64(5), 23])
    func droppedConnections(seed: UInt64) async throws {
        let fixture = try ImportFixture(count: 800)
        defer { fixture.remove() }
        let faults = FaultConfiguration(seed: seed, rateLimit: nil, error500Rate: 0.05, dropRate: 0.15)
        // One call in five fails here, and the concurrent calls draw the faults in no fixed order: with the
        // default 6 attempts, some Update Contact among the thousand would now and then fail 6 times running
        // and stop the run (correctly, resumably). 12 attempts make that a 1-in-10⁸ event.
        let retry = RetryPolicy(maxAttempts: 12, initialBackoff: .milliseconds(5), maxBackoff: .milliseconds(50))
        try await SandboxHarness.withClient(SandboxConfiguration(faults: faults), retry: retry) { sandbox, client in
            var configuration = fixture.configuration()
            configuration.maxUnknownOutcomes = 20
            let summary = try await Pipeline(configuration: configuration, client: client).run(outputFolder: fixture.report)
            #expect(summary.records == 800)
            #expect(summary.failed == 0)
            await expectWorkspaceHolds(fixture, sandbox)
            let counts = await sandbox.server.statistics.snapshot()
            #expect(counts.dropped.values.reduce(0, +) > 0, "the faults did strike")
        }
    }

    @Test("a token revoked mid-run is renewed and the run goes on")
    func tokenRevokedMidRun() async throws {
        let fixture = try ImportFixture(count: 1_200)
        defer { fixture.remove() }
        let faults = FaultConfiguration(seed: 1, latencyMilliseconds: 5, rateLimit: nil)
        try await SandboxHarness.withClient(SandboxConfiguration(faults: faults)) { sandbox, client in
            let progress = RunProgress()
            let summary = try await withThrowingTaskGroup(of: PlanSummary?.self) { group in
                group.addTask {
                    while await progress.snapshot().summary.records == 0 { try await Task.sleep(for: .milliseconds(5)) }
                    await sandbox.server.revokeTokens()
                    return nil
                }
                group.addTask {
                    try await Pipeline(configuration: fixture.configuration(), client: client)
                        .run(outputFolder: fixture.report, progress: progress)
                }
                var result: PlanSummary?
                for try await value in group { if let value { result = value } }
                return result
            }
            #expect(summary?.records == 1_200)
            let counts = await sandbox.server.statistics.snapshot()
            #expect(counts.operations.values.reduce(0) { $0 + ($1["401"] ?? 0) } > 0, "some request met the revoked token")
            await expectWorkspaceHolds(fixture, sandbox)
        }
    }

    @Test("a second run into the same workspace is refused while another holds its lock, and names the holder", arguments: StateBackend.available)
    func lockedWorkspace(backend: StateBackend) async throws {
        var fixture = try ImportFixture(count: 10)
        defer { fixture.remove() }
        fixture.state = try await backend.freshLocation(in: fixture.folder)
        try await SandboxHarness.withClient { _, client in
            let holder = try await fixture.state.open()
            try await holder.lockWorkspace(client.workspace)
            let started = try await holder.beginRun(
                RunRecord(workspace: client.workspace, source: "other.csv", inputs: [], mapping: "m", report: "/tmp/r"))
            let refused = await #expect(throws: StateError.self) {
                _ = try await Pipeline(configuration: fixture.configuration(), client: client).run(outputFolder: fixture.report)
            }
            #expect("\(refused!)".contains("run \(started)") && "\(refused!)".contains("pid \(ProcessInfo.processInfo.processIdentifier)"))
            await holder.close()
            let summary = try await Pipeline(configuration: fixture.configuration(), client: client).run(outputFolder: fixture.report)
            #expect(summary.records == 10, "the lock is free once its holder closed")
        }
    }
}
