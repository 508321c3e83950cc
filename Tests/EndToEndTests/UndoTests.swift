import Foundation
import HatifAPI
import HatifImport
import HatifSandbox
import HatifTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A workspace preloaded with contacts, and an export that updates them and adds new ones.
struct UndoFixture {
    var base: ImportFixture
    /// Contacts 0..<preloaded exist before the import; the export holds 0..<exported.
    let preloaded: Int
    let exported: Int

    static let mappingText = TestMappings.contactsWithTierAndCity

    init(preloaded: Int, exported: Int, backend: StateBackend) async throws {
        base = try ImportFixture(count: 0)
        self.preloaded = preloaded
        self.exported = exported
        base.state = try await backend.freshLocation(in: base.folder)
        var csv = "name,phone,email,tier,city\n"
        for index in 0..<exported {
            // Every other record brings a tier, every third a city: some fill what was empty, some overwrite.
            csv += "N\(index),\(ImportFixture.phone(index)),n\(index)@example.com,\(index % 2 == 0 ? "Gold" : ""),\(index % 3 == 0 ? "Jeddah" : "")\n"
        }
        try Data(csv.utf8).write(to: URL(fileURLWithPath: base.input))
    }

    var mapping: MappingFile { get throws { try MappingFile.parse(Self.mappingText) } }

    func configuration(batchSize: Int = 50, concurrency: Int = 2) throws -> Pipeline.Configuration {
        Pipeline.Configuration(
            files: [base.input], mapping: try mapping, dedup: .search, batchSize: batchSize, concurrency: concurrency, state: base.state,
            source: "crm")
    }

    /// Creates the properties and the preloaded contacts: old names, a Silver tier on every fourth, a
    /// city on every fifth, no email on every seventh.
    func preload(_ client: HatifClient) async throws {
        _ = try await client.createContactProperty(.init(name: "tier", displayName: "Tier", _type: .singleSelect, options: ["Gold", "Silver"]))
        _ = try await client.createContactProperty(.init(name: "city", displayName: "City", _type: .text, options: nil))
        for index in 0..<preloaded {
            var properties: [PropertyValueInput] = []
            if index % 4 == 0 { properties.append(.init(name: "tier", value: "Silver")) }
            if index % 5 == 0 { properties.append(.init(name: "city", value: "Riyadh")) }
            _ = try await client.createContact(
                ContactInput(
                    firstName: "Old\(index)", lastName: index % 2 == 0 ? "Family" : nil, phoneNumber: ImportFixture.e164(index),
                    email: index % 7 == 0 ? nil : "old\(index)@example.com", properties: properties.isEmpty ? nil : properties))
        }
    }

    func remove() { base.remove() }
}

/// What a workspace holds, compared exactly: each contact's id, standard fields and property values.
struct WorkspaceContents: Equatable, CustomStringConvertible {
    struct Contact: Equatable, Hashable {
        var id, firstName, lastName, phone, email: String?
        var properties: [String: String]
    }

    var contacts: [Contact]

    init(_ snapshot: SandboxSnapshot) {
        contacts = snapshot.contacts.map { contact in
            Contact(
                id: contact.id, firstName: contact.firstName, lastName: contact.lastName, phone: contact.phoneNumber, email: contact.email,
                properties: Dictionary(contact.properties.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }))
        }.sorted { ($0.phone ?? "") < ($1.phone ?? "") }
    }

    var description: String {
        "\(contacts.count) contacts" + (contacts.first.map { ", first \($0)" } ?? "")
    }

    /// The first contact that differs from `other`, for a readable failure.
    func firstDifference(from other: WorkspaceContents) -> String {
        if contacts.count != other.contacts.count { return "\(contacts.count) contacts, not \(other.contacts.count)" }
        for (mine, theirs) in zip(contacts, other.contacts) where mine != theirs { return "\(mine) ≠ \(theirs)" }
        return "none"
    }
}

@Suite("hatif-import undo: an import taken back exactly")
struct UndoTests {
    @Test(
        "after an import that created and updated contacts (standard fields and properties), undo puts the workspace back exactly as it was; its dry run writes nothing; an undo is not undone, nor done twice",
        arguments: StateBackend.available)
    func undoRestoresPreload(backend: StateBackend) async throws {
        let fixture = try await UndoFixture(preloaded: 60, exported: 150, backend: backend)
        defer { fixture.remove() }
        try await SandboxHarness.withClient { sandbox, client in
            try await fixture.preload(client)
            let before = WorkspaceContents(await sandbox.server.export())
            let imported = try await Pipeline(configuration: try fixture.configuration(), client: client).run(outputFolder: fixture.base.report)
            #expect(imported.create == 90 && imported.update == 60, "\(imported)")
            let importRun = try #require(try await fixture.base.state.lastRun()).id
            let after = WorkspaceContents(await sandbox.server.export())
            #expect(after != before)

            await sandbox.server.statistics.reset()
            let undo = Undo(configuration: Undo.Configuration(run: importRun, state: fixture.base.state), client: client)
            let plan = try await undo.dryRun(report: try PlanReportWriter(folder: fixture.base.folder.appending(path: "undo-plan").path))
            #expect(plan.delete == 90 && plan.update == 60 && plan.conflict == 0, "\(plan)")
            #expect(await sandbox.server.statistics.snapshot().writes == 0, "the dry run writes nothing")
            #expect(WorkspaceContents(await sandbox.server.export()) == after)
            // The plan shows old → new per field: a name going back, an emptied property.
            var restoreOf0: PlanEntry?
            try ResultsFile.forEachEntry(in: fixture.base.folder.appending(path: "undo-plan/plan.jsonl").path) { entry in
                if entry.ordinal == 1 { restoreOf0 = entry }
            }
            let changes = try #require(restoreOf0).changes
            #expect(changes.contains(FieldChange(field: "FirstName", old: "N0", new: "Old0")))
            #expect(changes.contains(FieldChange(field: "Email", old: "n0@example.com", new: nil)), "contact 0 had no email")
            #expect(changes.contains(FieldChange(field: "property:tier", old: "Gold", new: "Silver")))
            #expect(changes.contains(FieldChange(field: "property:city", old: "Jeddah", new: "Riyadh")))

            let summary = try await undo.run(outputFolder: fixture.base.folder.appending(path: "undo").path)
            #expect(summary.delete == 90 && summary.update == 60 && summary.conflict == 0 && summary.failed == 0, "\(summary)")
            let undone = WorkspaceContents(await sandbox.server.export())
            #expect(undone == before, "first difference: \(undone.firstDifference(from: before))")

            let history = try await fixture.base.state.history()
            #expect(history.first?.kind == .undo && history.first?.undoes == importRun && history.first?.status == .finished)
            await #expect(throws: UndoError.alreadyUndone(run: importRun, by: history[0].id)) { try await undo.run(outputFolder: fixture.base.report + "-again") }
            let undoOfUndo = Undo(configuration: Undo.Configuration(run: history[0].id, state: fixture.base.state), client: client)
            await #expect(throws: UndoError.undoOfUndo(run: history[0].id, undoes: importRun)) { try await undoOfUndo.run(outputFolder: fixture.base.report + "-3") }
            #expect(WorkspaceContents(await sandbox.server.export()) == before)
        }
    }

    @Test(
        "a contact edited after the import is a conflict and kept as edited, created or updated; the others are undone; --force undoes the rest",
        arguments: StateBackend.available)
    func editedContactIsConflict(backend: StateBackend) async throws {
        let fixture = try await UndoFixture(preloaded: 20, exported: 40, backend: backend)
        defer { fixture.remove() }
        try await SandboxHarness.withClient { sandbox, client in
            try await fixture.preload(client)
            let before = WorkspaceContents(await sandbox.server.export())
            _ = try await Pipeline(configuration: try fixture.configuration(), client: client).run(outputFolder: fixture.base.report)
            let importRun = try #require(try await fixture.base.state.lastRun()).id
            let contacts = await sandbox.server.export().contacts
            // Someone edits an updated contact's last name, and sets a property on a created one.
            let updated = try #require(contacts.first { $0.phoneNumber == ImportFixture.e164(3) })
            _ = try await client.updateContact(
                id: updated.id, ContactInput(firstName: updated.firstName, lastName: "Edited", phoneNumber: updated.phoneNumber, email: updated.email))
            let created = try #require(contacts.first { $0.phoneNumber == ImportFixture.e164(30) })
            let city = try #require(try await client.allContactProperties().first { $0.name == "city" })
            _ = try await client.setPropertyValue(contactID: created.id, propertyID: city.id, value: "Mecca")

            let undo = Undo(configuration: Undo.Configuration(run: importRun, state: fixture.base.state), client: client)
            let summary = try await undo.run(outputFolder: fixture.base.folder.appending(path: "undo").path)
            #expect(summary.conflict == 2 && summary.delete == 19 && summary.update == 19, "\(summary)")
            let now = await sandbox.server.export().contacts
            let keptUpdated = try #require(now.first { $0.id == updated.id })
            #expect(keptUpdated.lastName == "Edited" && keptUpdated.firstName == "N3", "kept as the import and the edit left it")
            #expect(now.first { $0.id == created.id }?.properties.first { $0.name == "city" }?.value == "Mecca", "the created contact is kept")
            var reasons: [String] = []
            try ResultsFile.forEachEntry(in: fixture.base.folder.appending(path: "undo/results.jsonl").path) { entry in
                if entry.outcome == .conflict { reasons += entry.reasons }
            }
            #expect(reasons.count == 2 && reasons.allSatisfy { $0.contains("changed since run \(importRun)") }, "\(reasons)")

            // An undo that left conflicts can run again; --force undoes the two as well.
            var forced = Undo.Configuration(run: importRun, state: fixture.base.state)
            forced.force = true
            let again = try await Undo(configuration: forced, client: client).run(outputFolder: fixture.base.folder.appending(path: "undo-2").path)
            #expect(again.conflict == 0 && again.delete == 1 && again.update == 1, "\(again)")
            let after = WorkspaceContents(await sandbox.server.export())
            var expected = before
            // --force puts back the fields the import changed; the edit of a field it did not change stays.
            if let index = expected.contacts.firstIndex(where: { $0.id == updated.id }) { expected.contacts[index].lastName = "Edited" }
            #expect(after == expected, "first difference: \(after.firstDifference(from: expected))")
        }
    }

    @Test(
        "a contact created by a bulk file alone is fingerprinted as the API stored it (read back after the create): awkward names are no conflict, and undo deletes them",
        arguments: StateBackend.available)
    func bulkOnlyCreatesAreReadBack(backend: StateBackend) async throws {
        let fixture = try await UndoFixture(preloaded: 0, exported: 0, backend: backend)
        defer { fixture.remove() }
        let names = ["\"Al-Harbi, Sara\"", "semi;colon", "back\\slash", "\"two  spaces\"", "عبدالله", "\"line\nbreak\""]
        var csv = "name,phone,email,tier,city\n"
        for (index, name) in names.enumerated() { csv += "\(name),\(ImportFixture.phone(index)),,,\n" }
        try Data(csv.utf8).write(to: URL(fileURLWithPath: fixture.base.input))
        try await SandboxHarness.withClient { sandbox, client in
            await sandbox.server.statistics.reset()
            let imported = try await Pipeline(configuration: try fixture.configuration(), client: client).run(outputFolder: fixture.base.report)
            #expect(imported.create == names.count, "\(imported)")
            #expect(await sandbox.server.statistics.snapshot().count("searchContacts") >= 2, "the lookup, then the read-back of the bulk file's contacts")
            let run = try #require(try await fixture.base.state.lastRun()).id
            let stored = Dictionary(uniqueKeysWithValues: await sandbox.server.export().contacts.map { ($0.id, ContactState.fingerprint($0)) })
            let journal = try await fixture.base.state.journal(run: run)
            #expect(journal.count == names.count && journal.allSatisfy { $0.written != nil && $0.written == $0.contact.flatMap { stored[$0] } })
            let undone = try await Undo(configuration: Undo.Configuration(run: run, state: fixture.base.state), client: client)
                .run(outputFolder: fixture.base.folder.appending(path: "undo").path)
            #expect(undone.delete == names.count && undone.conflict == 0, "\(undone)")
            #expect(await sandbox.server.export().contacts.isEmpty)
        }
    }

    @Test(
        "undo as a process: kill -9 mid-undo, then undo again ends in exactly the preloaded workspace; a second writer is locked out; one undo run in the history",
        arguments: StateBackend.available)
    func killDuringUndo(backend: StateBackend) async throws {
        let fixture = try await UndoFixture(preloaded: 300, exported: 1_000, backend: backend)
        defer { fixture.remove() }
        let faults = FaultConfiguration(seed: 11, latencyMilliseconds: 10, rateLimit: nil)
        try await SandboxHarness.withClient(SandboxConfiguration(faults: faults)) { sandbox, client in
            try await fixture.preload(client)
            let before = WorkspaceContents(await sandbox.server.export())
            _ = try await Pipeline(configuration: try fixture.configuration(batchSize: 200, concurrency: 4), client: client)
                .run(outputFolder: fixture.base.report)
            let importRun = try #require(try await fixture.base.state.lastRun()).id
            let folder = fixture.base.folder.appending(path: "undo").path
            let arguments = [
                "undo", "\(importRun)", "--report", folder, "--batch-size", "50", "--concurrency", "2", "--max-rps", "0", "--state",
                fixture.base.state.argument,
            ]
            let environment = CLIProcess.environment([
                "HATIF_API_URL": sandbox.url.absoluteString, "HATIF_CLIENT_ID": "sandbox", "HATIF_CLIENT_SECRET": "sandbox-secret",
            ])
            let first = try CLIProcess.start(arguments, environment: environment)
            _ = try await CLIResumeTests.waitForLines(folder + "/results.jsonl", moreThan: 0, running: first)
            let intruder = try await CLIProcess.run(arguments, environment: environment)
            #expect(intruder.status == 6, "one writing run per workspace; stderr: \(intruder.error)")
            try await Task.sleep(for: .milliseconds(120))  // into the next window's requests
            kill(first.process.processIdentifier, SIGKILL)
            first.process.waitUntilExit()
            let killed = WorkspaceContents(await sandbox.server.export())
            #expect(killed != before, "it stopped half way")

            let second = try await CLIProcess.run(arguments, environment: environment)
            #expect(second.status == 0, "stderr: \(second.error)")
            let undone = WorkspaceContents(await sandbox.server.export())
            #expect(undone == before, "first difference: \(undone.firstDifference(from: before))")
            let undoRuns = try await fixture.base.state.history().filter { $0.kind == .undo }
            #expect(undoRuns.count == 1 && undoRuns[0].status == .finished, "one undo run, resumed under its id")
            var ordinals: [Int] = []
            try ResultsFile.forEachEntry(in: folder + "/results.jsonl") { ordinals.append($0.ordinal) }
            #expect(ordinals == Array(1...1_000), "each contact once in results.jsonl")
        }
    }
}
