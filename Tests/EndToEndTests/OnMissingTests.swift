import Foundation
import HatifAPI
import HatifImport
import HatifSandbox
import HatifTestSupport
import Testing

@Suite("--on-missing: contacts gone from the source")
struct OnMissingTests {
    /// Rewrites the fixture's input with the records of `kept` only.
    static func export(_ fixture: ImportFixture, keeping kept: [Int]) throws {
        var csv = "name,phone,email,tier\n"
        for index in kept { csv += "N\(index),\(ImportFixture.phone(index)),n\(index)@example.com,\(index % 2 == 0 ? "Gold" : "")\n" }
        try Data(csv.utf8).write(to: URL(fileURLWithPath: fixture.input))
    }

    static func configuration(_ fixture: ImportFixture, _ action: MissingPolicy.Action, limit: String = "5%", allowShrink: Bool = false)
        -> Pipeline.Configuration
    {
        var configuration = fixture.configuration(batchSize: 50, concurrency: 2)
        configuration.source = "crm"
        configuration.missing = MissingPolicy(action: action, limit: Allowance(limit) ?? Allowance(percent: 5), allowShrink: allowShrink)
        return configuration
    }

    /// The phones of the contacts carrying the flag.
    static func flagged(_ sandbox: RunningSandbox) async -> Set<String> {
        Set(
            await sandbox.server.export().contacts.filter { contact in
                contact.properties.contains { $0.name == MissingPolicy.property && !$0.value.isEmpty }
            }.compactMap(\.phoneNumber))
    }

    @Test(
        "flag: over --max-missing refuses (no write); within it flags exactly the missing contacts; their return clears the flag; a truncated export is refused",
        arguments: StateBackend.available)
    func flag(backend: StateBackend) async throws {
        var prepared = try ImportFixture(count: 200)
        defer { prepared.remove() }
        prepared.state = try await backend.freshLocation(in: prepared.folder)
        let fixture = prepared
        try await SandboxHarness.withClient { sandbox, client in
            _ = try await Pipeline(configuration: Self.configuration(fixture, .flag), client: client).run(outputFolder: fixture.report)
            let gone = Array(stride(from: 5, to: 200, by: 13))  // 15 contacts: 7.5%
            try Self.export(fixture, keeping: (0..<200).filter { !gone.contains($0) })

            // The dry run lists them, and says the run would refuse.
            await #expect(throws: MissingError.tooMany(missing: 15, known: 200, limit: Allowance(percent: 5))) {
                _ = try await Pipeline(configuration: Self.configuration(fixture, .flag), client: client)
                    .dryRun(report: try PlanReportWriter(folder: fixture.report + "-plan"))
            }
            var listed: [String] = []
            try ResultsFile.forEachEntry(in: fixture.report + "-plan/plan.jsonl") { entry in
                if entry.file == MissingContact.fileLabel { listed += entry.contactIDs }
            }
            #expect(listed.count == 15)

            await sandbox.server.statistics.reset()
            await #expect(throws: MissingError.tooMany(missing: 15, known: 200, limit: Allowance(percent: 5))) {
                _ = try await Pipeline(configuration: Self.configuration(fixture, .flag), client: client).run(outputFolder: fixture.report + "-2")
            }
            #expect(await sandbox.server.statistics.snapshot().writes == 0, "over the limit: no write")
            #expect(await Self.flagged(sandbox).isEmpty)

            // Within the limit: the same command with --max-missing resumes the run and flags exactly those.
            let flagged = try await Pipeline(configuration: Self.configuration(fixture, .flag, limit: "10%"), client: client)
                .run(outputFolder: fixture.report + "-2")
            #expect(flagged.missingFlagged == 15 && flagged.records == 185, "\(flagged)")
            #expect(await Self.flagged(sandbox) == Set(gone.map(ImportFixture.e164)))
            let history = try await fixture.state.history()
            #expect(history.count == 2 && history[0].status == .finished, "the refused run was resumed, not started again")

            // Still gone: flagged already, nothing to write, and not counted against the limit again.
            await sandbox.server.statistics.reset()
            let again = try await Pipeline(configuration: Self.configuration(fixture, .flag), client: client).run(outputFolder: fixture.report + "-3")
            #expect(again.missingFlagged == 0)
            #expect(await sandbox.server.statistics.snapshot().writes == 0)

            // Back in the export: the flag goes.
            try Self.export(fixture, keeping: Array(0..<200))
            let back = try await Pipeline(configuration: Self.configuration(fixture, .flag), client: client).run(outputFolder: fixture.report + "-4")
            #expect(back.update == 15, "\(back)")
            #expect(await Self.flagged(sandbox).isEmpty)
            await expectWorkspaceHolds(fixture, sandbox)

            // A truncated export (fewer than half the records of the last complete run) is refused.
            try Self.export(fixture, keeping: Array(0..<90))
            await sandbox.server.statistics.reset()
            await #expect(throws: MissingError.inputShrank(records: 90, last: 200, lastRun: try #require(history.first).id + 2)) {
                _ = try await Pipeline(configuration: Self.configuration(fixture, .flag, limit: "100%"), client: client)
                    .run(outputFolder: fixture.report + "-5")
            }
            #expect(await sandbox.server.statistics.snapshot().writes == 0)
            #expect(await Self.flagged(sandbox).isEmpty)
        }
    }

    @Test(
        "delete: within the limit deletes exactly the missing contacts, journaled; undo brings them back with their values",
        arguments: StateBackend.available)
    func delete(backend: StateBackend) async throws {
        var prepared = try ImportFixture(count: 200)
        defer { prepared.remove() }
        prepared.state = try await backend.freshLocation(in: prepared.folder)
        let fixture = prepared
        try await SandboxHarness.withClient { sandbox, client in
            _ = try await Pipeline(configuration: Self.configuration(fixture, .delete), client: client).run(outputFolder: fixture.report)
            let before = WorkspaceContents(await sandbox.server.export())
            let gone = Array(stride(from: 3, to: 200, by: 20))  // 10 contacts: 5%
            try Self.export(fixture, keeping: (0..<200).filter { !gone.contains($0) })
            let deleted = try await Pipeline(configuration: Self.configuration(fixture, .delete), client: client).run(outputFolder: fixture.report + "-2")
            #expect(deleted.missingDeleted == 10, "\(deleted)")
            let phones = Set(await sandbox.server.export().contacts.compactMap(\.phoneNumber))
            #expect(phones == Set((0..<200).filter { !gone.contains($0) }.map(ImportFixture.e164)), "exactly the missing ones are gone")

            let run = try #require(try await fixture.state.lastRun()).id
            let undone = try await Undo(configuration: Undo.Configuration(run: run, state: fixture.state), client: client)
                .run(outputFolder: fixture.report + "-undo")
            #expect(undone.create == 10 && undone.conflict == 0, "\(undone)")
            var back = WorkspaceContents(await sandbox.server.export())
            // Created again: new ids, the same values.
            var expected = before
            for index in expected.contacts.indices { expected.contacts[index].id = nil }
            for index in back.contacts.indices { back.contacts[index].id = nil }
            #expect(back == expected, "first difference: \(back.firstDifference(from: expected))")
        }
    }
}
