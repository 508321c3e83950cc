import Foundation
import HatifAPI
import HatifImport
import HatifSandbox
import HatifTestSupport
import Testing

/// Exports as they arrive, imported into the sandbox: each makes the same contacts as its CSV twin.
@Suite("Importing workbooks, archives, .gz and standard input")
struct ArchiveImportTests {
    /// A contact as the workspace holds it, without ids and times.
    struct Contact: Hashable, CustomStringConvertible {
        var first, last, phone, email: String
        var properties: [String: String]
        var description: String { "\(first) \(last) \(phone) \(email) \(properties)" }
    }

    /// Imports `inputs` into a fresh sandbox; returns its contacts and the run's summary.
    static func imported(_ inputs: [String]) async throws -> (Set<Contact>, PlanSummary) {
        let folder = FileManager.default.temporaryDirectory.appending(path: "archive-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let mapping = try MappingFile.load(path: ArchiveFixtures.path("mapping.yml"))
        return try await SandboxHarness.withClient { sandbox, client in
            let configuration = Pipeline.Configuration(
                files: try InputCatalog.expand(inputs).inputs, mapping: mapping, dedup: .search,
                state: .sqlite(path: folder.appending(path: "state.sqlite").path))
            let summary = try await Pipeline(configuration: configuration, client: client).run(outputFolder: folder.appending(path: "out").path)
            let contacts = await sandbox.server.export().contacts.map { contact in
                Contact(
                    first: contact.firstName ?? "", last: contact.lastName ?? "", phone: contact.phoneNumber ?? "", email: contact.email ?? "",
                    properties: Dictionary(contact.properties.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first }))
            }
            return (Set(contacts), summary)
        }
    }

    @Test(
        "workbooks saved by openpyxl and by LibreOffice, a .zip of three CSVs and a .csv.gz make the same contacts as the CSV twin",
        arguments: ["contacts-openpyxl.xlsx", "contacts-libreoffice.xlsx", "export.zip", "contacts.csv.gz"])
    func sameContactsAsTheTwin(name: String) async throws {
        let (twin, twinSummary) = try await Self.imported([ArchiveFixtures.path("contacts.csv")])
        #expect(twinSummary.create == 12 && twinSummary.reject == 0)
        #expect(twin.contains { $0.phone == "+966501234567" && $0.last == "الحربي" && $0.properties["birthday"]?.hasPrefix("1990-05-17") == true })
        let (contacts, summary) = try await Self.imported([ArchiveFixtures.path(name)])
        #expect(summary.create == 12 && summary.reject == 0)
        #expect(contacts == twin, "only in \(name): \(contacts.subtracting(twin)); only in the twin: \(twin.subtracting(contacts))")
    }
}

@Suite("hatif-import import - (standard input): stop and resume as a process")
struct StandardInputResumeTests {
    @Test("a run from standard input says it cannot resume by offset; stopped, it resumes from the same stream by skipping the committed records, and refuses a different stream")
    func stopAndResumeFromStandardInput() async throws {
        let fixture = try ImportFixture(count: 2_000)
        defer { fixture.remove() }
        let mappingPath = fixture.folder.appending(path: "mapping.yml").path
        try Data(ImportFixture.mappingText.utf8).write(to: URL(filePath: mappingPath))
        // The same stream with its first record changed.
        let changed = fixture.folder.appending(path: "changed.csv").path
        try String(contentsOfFile: fixture.input, encoding: .utf8).replacingOccurrences(of: "N0,", with: "Changed,").write(
            toFile: changed, atomically: true, encoding: .utf8)
        let faults = FaultConfiguration(seed: 4, latencyMilliseconds: 15, rateLimit: nil)
        try await SandboxServer.withRunning(configuration: SandboxConfiguration(faults: faults)) { sandbox in
            let arguments = [
                "import", "-", "--mapping", mappingPath, "--report", fixture.report, "--batch-size", "50", "--concurrency", "2", "--max-rps", "0",
                "--dedup", "search", "--state", fixture.state.argument,
            ]
            let environment = CLIProcess.environment([
                "HATIF_API_URL": sandbox.url.absoluteString, "HATIF_CLIENT_ID": "sandbox", "HATIF_CLIENT_SECRET": "sandbox-secret",
            ])
            let first = try CLIProcess.start(arguments, environment: environment, standardInput: fixture.input)
            _ = try await CLIResumeTests.waitForLines(fixture.results, moreThan: 0, running: first)
            let stopped = try await first.terminate()
            #expect(stopped.status == 3, "stderr: \(stopped.error)")
            #expect(stopped.error.contains("standard input is read once"))
            let committed = try fixture.resultEntries().count
            #expect(committed > 0 && committed < 2_000)

            let refused = try await CLIProcess.run(arguments, environment: environment, standardInput: changed)
            #expect(refused.status == 7, "exit 7: the input changed since the unfinished run started")
            #expect(refused.error.contains("not the ones the interrupted run committed"), "stderr: \(refused.error)")

            let resumed = try await CLIProcess.run(arguments, environment: environment, standardInput: fixture.input)
            #expect(resumed.status == 0, "stderr: \(resumed.error)")
            let entries = try fixture.resultEntries()
            #expect(entries.count == 2_000)
            #expect(Set(entries.map(\.ordinal)).count == 2_000, "each record once in the results")
            await expectWorkspaceHolds(fixture, sandbox)
        }
    }
}
