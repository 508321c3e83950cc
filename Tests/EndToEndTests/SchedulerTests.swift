import AsyncHTTPClient
import Foundation
import HatifAPI
import HatifImport
import HatifSandbox
import HatifTestSupport
import Testing

/// What a scheduler sees of `import`: refusals, exit codes and the JSON summary.
@Suite("import for schedulers: no silent sandbox, exit codes, --max-rejects, --output json")
struct SchedulerTests {
    static let root = ValidateCLITests.root
    static var sample: String { root.appending(path: "samples/google-contacts.csv").path }
    static var sampleMapping: String { root.appending(path: "samples/google-mapping.yml").path }

    static func folder(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appending(path: "\(name)-\(UUID().uuidString)").path
    }

    static func importArguments(report: String, _ extra: [String] = []) -> [String] {
        ["import", sample, "--mapping", sampleMapping, "--report", report, "--state", report + "/state.sqlite", "--max-rps", "0"] + extra
    }

    static func apiEnvironment(_ sandbox: RunningSandbox) -> [String: String] {
        CLIProcess.environment([
            "HATIF_API_URL": sandbox.url.absoluteString, "HATIF_CLIENT_ID": "sandbox", "HATIF_CLIENT_SECRET": "sandbox-secret",
        ])
    }

    @Test("import without an API URL refuses with exit 2 and one line naming --api-url, HATIF_API_URL and --sandbox; nothing is written")
    func refusesWithoutURL() async throws {
        let report = Self.folder("refused")
        defer { try? FileManager.default.removeItem(atPath: report) }
        for extra in [[], ["--dry-run"]] {
            let outcome = try await CLIProcess.run(Self.importArguments(report: report, extra))
            #expect(outcome.status == 2, "stdout: \(outcome.output)")
            #expect(outcome.error.contains("--api-url") && outcome.error.contains("HATIF_API_URL") && outcome.error.contains("--sandbox"))
            #expect(!outcome.output.contains("embedded sandbox") && !outcome.error.contains("embedded sandbox at"))
            #expect(!FileManager.default.fileExists(atPath: report + "/results.jsonl"))
        }
    }

    @Test("a client id or secret without an API URL is an error (exit 2), as is an API URL with --sandbox")
    func credentialsWithoutURL() async throws {
        let report = Self.folder("credentials")
        defer { try? FileManager.default.removeItem(atPath: report) }
        let outcome = try await CLIProcess.run(
            Self.importArguments(report: report), environment: CLIProcess.environment(["HATIF_CLIENT_ID": "nightly", "HATIF_CLIENT_SECRET": "s3cret"]))
        #expect(outcome.status == 2)
        #expect(outcome.error.contains("no API URL"))
        #expect(!outcome.error.contains("s3cret"))
        let both = try await CLIProcess.run(Self.importArguments(report: report, ["--sandbox", "--api-url", "http://127.0.0.1:9"]))
        #expect(both.status == 2)
        #expect(both.error.contains("choose one"))
    }

    @Test("--sandbox runs against the embedded sandbox and says so")
    func sandboxFlag() async throws {
        let report = Self.folder("sandbox")
        defer { try? FileManager.default.removeItem(atPath: report) }
        let outcome = try await CLIProcess.run(Self.importArguments(report: report, ["--sandbox"]))
        #expect(outcome.status == 1, "the sample's one reject; stderr: \(outcome.error)")
        #expect(outcome.output.contains("Using the embedded sandbox at http://127.0.0.1:"))
        #expect(outcome.output.contains("nothing reaches Hatif"))
    }

    @Test("--max-rejects: rejects within the budget exit 0 and are still listed; over it, exit 1")
    func maxRejects() async throws {
        for (budget, status) in [("1", Int32(0)), ("0", 1), ("4%", 0), ("3%", 1)] {
            let report = Self.folder("budget")
            defer { try? FileManager.default.removeItem(atPath: report) }
            let outcome = try await CLIProcess.run(Self.importArguments(report: report, ["--sandbox", "--max-rejects", budget]))
            #expect(outcome.status == status, "--max-rejects \(budget): stderr \(outcome.error)")
            let rejects = try String(contentsOfFile: report + "/rejects.csv", encoding: .utf8)
            #expect(rejects.split(separator: "\n").count == 2, "the reject is listed whatever the exit code")
        }
        let bad = try await CLIProcess.run(Self.importArguments(report: Self.folder("bad"), ["--sandbox", "--max-rejects", "lots"]))
        #expect(bad.status == 2)
    }

    @Test("--output json prints one JSON object whose counts match the sandbox's own, the rest going to standard error")
    func jsonSummary() async throws {
        let report = Self.folder("json")
        defer { try? FileManager.default.removeItem(atPath: report) }
        try await SandboxServer.withRunning(configuration: SandboxConfiguration(faults: .none)) { sandbox in
            let outcome = try await CLIProcess.run(Self.importArguments(report: report, ["--output", "json"]), environment: Self.apiEnvironment(sandbox))
            #expect(outcome.status == 1)
            #expect(outcome.output.split(separator: "\n").count == 1, "stdout holds the JSON only: \(outcome.output)")
            #expect(outcome.error.contains("Imported 25 records"))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.output.utf8)) as? [String: Any])
            #expect(object["mode"] as? String == "run")
            #expect(object["records"] as? Int == 25)
            let outcomes = try #require(object["outcomes"] as? [String: Int])
            #expect(outcomes == ["created": 22, "updated": 0, "unchanged": 0, "merged": 2, "conflict": 0, "rejected": 1, "failed": 0])
            #expect(object["exitCode"] as? Int == 1 && object["exitStatus"] as? String == "records-rejected")
            #expect(object["reportFolder"] as? String == report)
            #expect((object["propertiesCreated"] as? [String])?.contains("loyalty_tier") == true)
            #expect((object["wallSeconds"] as? Double).map { $0 > 0 } == true)
            let requests = try #require(object["requests"] as? [String: Int])
            let served = await sandbox.server.statistics.snapshot()
            for (operation, count) in requests { #expect(served.count(operation) == count, "\(operation): we sent \(count), the sandbox saw \(served.count(operation))") }
            #expect(requests["createBulkContactsVCards"] == served.count("createBulkContactsVCards"))
            #expect(requests["updateContact"] == served.count("updateContact"))
            #expect(object["requestsTotal"] as? Int == requests.values.reduce(0, +))
            let contacts = await sandbox.server.export().contacts.count
            #expect(contacts == 22)

            let dry = try await CLIProcess.run(
                Self.importArguments(report: Self.folder("json-dry"), ["--output", "json", "--dry-run"]), environment: Self.apiEnvironment(sandbox))
            let plan = try #require(try JSONSerialization.jsonObject(with: Data(dry.output.utf8)) as? [String: Any])
            #expect(plan["mode"] as? String == "dry-run")
            #expect((plan["actions"] as? [String: Int])?["unchanged"] == 22, "a dry run after the run finds every contact")
            #expect((plan["requests"] as? [String: Int])?["createBulkContactsVCards"] == nil, "a dry run writes nothing")
        }
    }

    @Test("--output json of a run that stopped (the API unavailable after a first commit) carries the committed counts, the error and exit 5")
    func jsonSummaryOfAStoppedRun() async throws {
        let fixture = try ImportFixture(count: 2_000)
        defer { fixture.remove() }
        try Data(ImportFixture.mappingText.utf8).write(to: fixture.folder.appending(path: "mapping.yml"))
        try await SandboxServer.withRunning(configuration: SandboxConfiguration(faults: FaultConfiguration(latencyMilliseconds: 5, rateLimit: nil))) { sandbox in
            let running = try CLIProcess.start(
                [
                    "import", fixture.input, "--mapping", fixture.folder.appending(path: "mapping.yml").path, "--report", fixture.report,
                    "--batch-size", "50", "--concurrency", "2", "--max-rps", "0", "--dedup", "search", "--output", "json",
                ], environment: Self.apiEnvironment(sandbox))
            _ = try await CLIResumeTests.waitForLines(fixture.results, moreThan: 0, running: running)
            // From now on the API answers 503 to everything, past the client's retries.
            await sandbox.server.setFaults(FaultConfiguration(rateLimit: nil, error503Rate: 1, serviceUnavailableRetryAfter: 0))
            running.process.waitUntilExit()
            let outcome = running.outcome()
            #expect(outcome.status == 5, "stderr: \(outcome.error.suffix(1_000))")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.output.utf8)) as? [String: Any])
            #expect(object["exitStatus"] as? String == "api-unavailable")
            #expect((object["error"] as? String)?.contains("Run the same command again") == true)
            let committed = try fixture.resultEntries().count
            #expect(committed > 0 && committed < 2_000)
            #expect(object["records"] as? Int == committed, "the committed records, not zero")
        }
    }

    @Test("distinct exit codes: 6 when another run holds the workspace lock, 7 when the input changed since the source's unfinished run, 8 for a conflicting property")
    func exitCodes() async throws {
        let report = Self.folder("codes")
        defer { try? FileManager.default.removeItem(atPath: report) }
        try FileManager.default.createDirectory(atPath: report, withIntermediateDirectories: true)
        let state = StateLocation.sqlite(path: report + "/state.sqlite")
        try await SandboxServer.withRunning(configuration: SandboxConfiguration(faults: .none)) { sandbox in
            let environment = Self.apiEnvironment(sandbox)
            let workspace = HatifClient(configuration: sandbox.clientConfiguration(), transport: SharedTransport.shared).workspace
            // 6: another run (this test process) holds the workspace's lock.
            let held = try await state.open()
            try await held.lockWorkspace(workspace)
            let locked = try await CLIProcess.run(Self.importArguments(report: report), environment: environment)
            #expect(locked.status == 6, "stderr: \(locked.error)")
            #expect(locked.error.contains("Another run") && locked.error.contains(workspace))

            // 7: the source's unfinished run was started with other input.
            let other = report + "/other.csv"
            try Data("First Name\nX\n".utf8).write(to: URL(fileURLWithPath: other))
            var foreign = RunRecord(
                workspace: workspace, source: "google-contacts.csv", inputs: [try InputFingerprint.of(path: other)],
                mapping: try InputFingerprint.of(path: Self.sampleMapping).sha256, report: report)
            foreign.checkpoint = Checkpoint(
                inputs: foreign.inputs, mapping: try InputFingerprint.of(path: Self.sampleMapping),
                next: RunPosition(fileIndex: 0, position: ReadPosition(byteOffset: 11, line: 2, ordinal: 1)))
            _ = try await held.beginRun(foreign)
            await held.close()
            let changed = try await CLIProcess.run(Self.importArguments(report: report), environment: environment)
            #expect(changed.status == 7, "stderr: \(changed.error)")
            #expect(changed.error.contains("--restart"))

            // 8: the workspace has loyalty_tier as Text; the mapping wants a SingleSelect.
            let client = HatifClient(
                configuration: sandbox.clientConfiguration(), transport: SharedTransport.shared)
            _ = try await client.createContactProperty(.init(name: "loyalty_tier", displayName: "Tier", _type: .text))
            let conflict = try await CLIProcess.run(Self.importArguments(report: report, ["--restart"]), environment: environment)
            #expect(conflict.status == 8, "stderr: \(conflict.error)")
            #expect(conflict.error.contains("loyalty_tier"))
            #expect(await sandbox.server.statistics.snapshot().count("createBulkContactsVCards") == 0, "nothing was written")
        }
    }
}
