import Foundation
import HatifAPI
import HatifImport
import HatifSandbox
import HatifTestSupport
import Testing

/// A CRM migration matched by an external id, which a bulk vCard cannot carry.
struct CRMFixture {
    let folder: URL
    let input: String
    let count: Int
    let mapping: MappingFile

    init(count: Int) throws {
        folder = FileManager.default.temporaryDirectory.appending(path: "crm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        input = folder.appending(path: "crm.csv").path
        var csv = "crm_id,first,last,mobile,email\n"
        for index in 0..<count {
            csv += "CRM-\(100_000 + index),F\(index),L\(index),\(ImportFixture.phone(index)),c\(index)@example.com\n"
        }
        try Data(csv.utf8).write(to: URL(fileURLWithPath: input))
        mapping = try MappingFile.parse(
            """
            region: SA
            fields:
              - {source: crm_id, target: "property:crm_id"}
              - {source: first, target: FirstName}
              - {source: last, target: LastName}
              - {source: mobile, target: PhoneNumber}
              - {source: email, target: Email}
            properties:
              crm_id: {displayName: CRM id, type: Text}
            """)
        self.count = count
    }

    func configuration(maxUnknownOutcomes: Int = 5) -> Pipeline.Configuration {
        Pipeline.Configuration(
            files: [input], mapping: mapping, matchKeys: [.property("crm_id")], dedup: .search, batchSize: 100, concurrency: 4,
            state: state, maxUnknownOutcomes: maxUnknownOutcomes)
    }

    var report: String { folder.appending(path: "out").path }

    var state: StateLocation { .sqlite(path: folder.appending(path: "state.sqlite").path) }

    /// Every record exactly once: one contact per crm_id, with its phone, and no other contact.
    func expectEachOnce(_ sandbox: RunningSandbox, sourceLocation: Testing.SourceLocation = #_sourceLocation) async {
        let contacts = await sandbox.server.export().contacts
        let byID = Dictionary(grouping: contacts, by: { $0.properties.first { $0.name == "crm_id" }?.value ?? "none" })
        let duplicated = byID.filter { $0.value.count > 1 }.count
        let missing = (0..<count).filter { byID["CRM-\(100_000 + $0)"]?.count != 1 }.count
        let byPhone = Dictionary(grouping: contacts, by: { $0.phoneNumber ?? "" })
        #expect(contacts.count == count, "contacts: \(contacts.count) for \(count) records", sourceLocation: sourceLocation)
        #expect(duplicated == 0, "crm ids on more than one contact: \(duplicated)", sourceLocation: sourceLocation)
        #expect(missing == 0, "records without exactly one contact: \(missing)", sourceLocation: sourceLocation)
        #expect(byPhone.allSatisfy { $0.value.count == 1 }, "a phone on two contacts", sourceLocation: sourceLocation)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

@Suite("Unknown outcomes are reconciled by what the contact carries, whatever the match key")
struct ReconciliationTests {
    @Test("--match property:crm_id alone, half of the bulk uploads' connections dropped after the write and 2% 503s: every record exactly once")
    func droppedBulkUploadsMatchedByExternalID() async throws {
        let fixture = try CRMFixture(count: 2_000)
        defer { fixture.remove() }
        let faults = FaultConfiguration(
            seed: 11, rateLimit: nil, error503Rate: 0.02, operationDropRates: ["createBulkContactsVCards": 0.5])
        try await SandboxHarness.withClient(SandboxConfiguration(faults: faults)) { sandbox, client in
            let summary = try await Pipeline(configuration: fixture.configuration(maxUnknownOutcomes: 20), client: client)
                .run(outputFolder: fixture.report)
            let counts = await sandbox.server.statistics.snapshot()
            #expect((counts.dropped["createBulkContactsVCards"] ?? 0) > 0, "the fault was injected")
            #expect(summary.create == 2_000 && summary.failed == 0 && summary.reject == 0)
            await fixture.expectEachOnce(sandbox)
        }
    }

    @Test("a bulk upload whose outcome stayed unknown stops the run with its records in flight; the resumed run finds them by phone, not by crm_id")
    func resumedInFlightMatchedByExternalID() async throws {
        let fixture = try CRMFixture(count: 300)
        defer { fixture.remove() }
        let faults = FaultConfiguration(seed: 3, rateLimit: nil, operationDropRates: ["createBulkContactsVCards": 1])
        try await SandboxHarness.withClient(SandboxConfiguration(faults: faults)) { sandbox, client in
            await #expect(throws: RunError.self) {
                _ = try await Pipeline(configuration: fixture.configuration(maxUnknownOutcomes: 0), client: client).run(outputFolder: fixture.report)
            }
            let checkpoint = try #require(try await fixture.state.lastRun()?.checkpoint)
            #expect(!checkpoint.inFlight.isEmpty, "the window's creates are in flight")
            let made = await sandbox.server.export().contacts.count
            #expect(made > 0, "the dropped uploads did create contacts")

            await sandbox.server.setFaults(FaultConfiguration(rateLimit: nil))
            let summary = try await Pipeline(configuration: fixture.configuration(), client: client).run(outputFolder: fixture.report)
            #expect(summary.records == 300 && summary.failed == 0)
            await fixture.expectEachOnce(sandbox)
            var notes = 0
            try ResultsFile.forEachEntry(in: fixture.report + "/results.jsonl") { entry in
                if entry.reasons.contains(where: { $0.contains("in flight when the last run stopped") }) { notes += 1 }
            }
            #expect(notes == made, "each contact the stopped run made is found and completed, not created again")
        }
    }
}
