import AsyncHTTPClient
import Foundation
import HatifAPI
import HatifSandbox
import HatifTestSupport
import Testing

@Suite("hatif-import command line")
struct CLITests {
    @Test("--help lists every subcommand, the planned ones included")
    func helpListsSubcommands() async throws {
        let outcome = try await CLIProcess.run(["--help"])
        #expect(outcome.status == 0)
        for name in ["inspect", "sample", "mapping", "validate", "import", "sandbox", "demo"] {
            #expect(outcome.output.contains("  \(name)"), "missing \(name) in: \(outcome.output)")
        }
        #expect(outcome.output.contains("Exit codes"))
    }

    /// `demo` over the repository's samples, reporting into a fresh folder.
    static func demoArguments(_ report: String) -> [String] {
        ["demo", "--samples", ValidateCLITests.root.appending(path: "samples").path, "--report", report]
    }

    @Test("with no API URL, demo imports every sample into the embedded sandbox, writes a report for each, and a re-run writes nothing")
    func demoOnEmbeddedSandbox() async throws {
        let report = FileManager.default.temporaryDirectory.appending(path: "demo-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: report) }
        let outcome = try await CLIProcess.run(Self.demoArguments(report))
        #expect(outcome.status == 0, "stderr: \(outcome.error)")
        let lines = outcome.output.split(separator: "\n")
        #expect(lines.first?.contains("Using the embedded sandbox at http://127.0.0.1:") == true)
        #expect(outcome.output.contains("google-contacts.csv: 25 records → 22 created, 0 updated, 0 unchanged, 2 merged, 1 rejected, 0 failed"))
        #expect(outcome.output.contains("icloud-3.0.vcf, android-2.1.vcf, contacts-4.0.vcf: 12 records"))
        #expect(outcome.output.contains("crm-export.xml again: 0 created, 0 updated, 14 unchanged"))
        #expect(outcome.output.contains("The workspace holds 69 contacts."))
        for step in ["google", "outlook", "excel", "vcards", "crm"] {
            #expect(FileManager.default.fileExists(atPath: "\(report)/\(step)/report.html"), "no report for \(step)")
        }
    }

    @Test("demo talks to the API named by HATIF_API_URL with the secret from a file")
    func demoAgainstExternalAPI() async throws {
        let secretFile = FileManager.default.temporaryDirectory.appending(path: "secret-\(UUID().uuidString)")
        try "sandbox-secret\n".write(to: secretFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: secretFile) }
        let report = FileManager.default.temporaryDirectory.appending(path: "demo-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: report) }
        try await SandboxServer.withRunning(configuration: SandboxConfiguration(faults: .none)) { sandbox in
            let outcome = try await CLIProcess.run(
                Self.demoArguments(report) + ["--client-secret-file", secretFile.path],
                environment: CLIProcess.environment(["HATIF_API_URL": sandbox.url.absoluteString, "HATIF_CLIENT_ID": "sandbox"]))
            #expect(outcome.status == 0, "stderr: \(outcome.error)")
            #expect(!outcome.output.contains("embedded sandbox"))
            #expect(await sandbox.server.export().contacts.count == 69)
        }
    }

    @Test("a wrong secret exits with code 4 and never prints the secret")
    func wrongSecretExitCode() async throws {
        try await SandboxServer.withRunning(configuration: SandboxConfiguration(faults: .none)) { sandbox in
            let outcome = try await CLIProcess.run(
                Self.demoArguments(FileManager.default.temporaryDirectory.appending(path: "demo-\(UUID().uuidString)").path)
                    + ["--api-url", sandbox.url.absoluteString, "--client-id", "sandbox", "--log-level", "trace"],
                environment: CLIProcess.environment(["HATIF_CLIENT_SECRET": "Wr0ng-Recognisable-Secret"]))
            #expect(outcome.status == 4)
            #expect(outcome.error.contains("invalid_client"))
            #expect(!(outcome.output + outcome.error).contains("Wr0ng-Recognisable-Secret"))
        }
    }

    @Test("an API URL without credentials is a configuration error with exit code 2")
    func missingCredentials() async throws {
        let outcome = try await CLIProcess.run(["demo", "--api-url", "http://127.0.0.1:9"])
        #expect(outcome.status == 2)
        #expect(outcome.error.contains("HATIF_CLIENT_ID"))
        let badURL = try await CLIProcess.run(["demo", "--api-url", "not a url"])
        #expect(badURL.status == 2)
    }

    @Test("import --sandbox creates the sample's contacts, writes the report and exits 1 for its one reject")
    func importOnEmbeddedSandbox() async throws {
        let root = ValidateCLITests.root
        let folder = FileManager.default.temporaryDirectory.appending(path: "run-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let outcome = try await CLIProcess.run([
            "import", root.appending(path: "samples/google-contacts.csv").path, "--mapping",
            root.appending(path: "samples/google-mapping.yml").path, "--report", folder, "--state", folder + "/state.sqlite",
            "--sandbox",
        ])
        #expect(outcome.status == 1, "one sample row is rejected; stderr: \(outcome.error)")
        #expect(outcome.output.contains("Imported 25 records: 22 created, 0 updated, 0 unchanged, 2 merged, 0 conflict, 1 rejected, 0 failed."))
        for name in ["results.jsonl", "results.csv", "rejects.csv", "report.html", "summary.json"] {
            #expect(FileManager.default.fileExists(atPath: folder + "/" + name), "\(name) is missing")
        }
        #expect(outcome.output.contains("Using the embedded sandbox"))
        let runs = try await CLIProcess.run(["runs", "--state", folder + "/state.sqlite"])
        #expect(runs.status == 0 && runs.output.contains("finished") && runs.output.contains("google-contacts.csv"), "\(runs.output)")
        let json = try await CLIProcess.run(["runs", "--state", folder + "/state.sqlite", "--output", "json"])
        let listed = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]]
        let run = try #require(listed?.first)
        #expect(run["status"] as? String == "finished" && run["exitCode"] as? Int == 1 && run["exitStatus"] as? String == "records-rejected")
        #expect(run["records"] as? Int == 25 && (run["outcomes"] as? [String: Int])?["created"] == 22)
        let id = try #require(run["id"] as? Int)
        let show = try await CLIProcess.run(["runs", "show", "\(id)", "--state", folder + "/state.sqlite"])
        #expect(show.status == 0 && show.output.contains("Run \(id): finished") && show.output.contains("exit:       1 (records-rejected)"), "\(show.output)")
        #expect(show.output.contains("google-contacts.csv (") && show.output.contains("report:     \(URL(fileURLWithPath: folder).standardizedFileURL.path)"))
        let missing = try await CLIProcess.run(["runs", "show", "999", "--state", folder + "/state.sqlite"])
        #expect(missing.status == 2 && missing.error.contains("No run 999"))
    }

    @Test("import --dry-run --sandbox plans creates, merges in-file duplicates and writes the plan")
    func dryRunOnEmbeddedSandbox() async throws {
        let root = ValidateCLITests.root
        let folder = FileManager.default.temporaryDirectory.appending(path: "report-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let outcome = try await CLIProcess.run([
            "import", root.appending(path: "samples/google-contacts.csv").path, "--mapping",
            root.appending(path: "samples/google-mapping.yml").path, "--dry-run", "--report", folder, "--sandbox",
        ])
        #expect(outcome.status == 1, "one sample row is rejected; stderr: \(outcome.error)")
        #expect(outcome.output.contains("embedded sandbox"))
        #expect(outcome.output.contains("25 records — 22 create, 0 update, 0 unchanged, 2 merged, 0 conflict, 1 reject"))
        #expect(outcome.output.contains("Nothing was written"))
        let lines = try String(contentsOfFile: folder + "/plan.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 25)
        #expect(FileManager.default.fileExists(atPath: folder + "/plan.csv"))
        #expect(FileManager.default.fileExists(atPath: folder + "/summary.json"))
        #expect(outcome.output.contains("Requests: 22 creates in 1 bulk file, "), "the sizing line")

        // report serve over the plan: prints its URL, answers a search, stops on SIGTERM.
        let running = try CLIProcess.start(["report", "serve", folder, "--port", "0"])
        let port = try await running.waitForOutput(/at http:\/\/127\.0\.0\.1:([0-9]+)\//)
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/records?q=user.user.0%40mail.example.sa"), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any])
        let rows = try #require(answer["rows"] as? [[String: Any]])
        #expect(rows.compactMap { ($0["entry"] as? [String: Any])?["line"] as? Int } == [2], "the first record, found by its e-mail")
        let stopped = try await running.terminate()
        #expect(stopped.status == 0, "stderr: \(stopped.error)")
        #expect(stopped.error.contains("Indexed 25 records"))
    }

    @Test("hatif-import sandbox serves the contract on a port, keeps its data file and stops on SIGTERM")
    func sandboxCommand() async throws {
        let dataFile = FileManager.default.temporaryDirectory.appending(path: "sandbox-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: dataFile) }
        let running = try CLIProcess.start(["sandbox", "--port", "0", "--data", dataFile.path, "--rate-limit", "0"])
        let port = try await running.waitForOutput(/listening on http:\/\/127\.0\.0\.1:([0-9]+)/)
        #expect(running.output.contains("client secret: sandbox-secret"))

        let apiURL = URL(string: "http://127.0.0.1:\(port)")!
        let configuration = HatifClientConfiguration(
            apiURL: apiURL, credentials: ClientCredentials(clientID: "sandbox", clientSecret: Secret("sandbox-secret")))
        let client = HatifClient(configuration: configuration, transport: SharedTransport.shared)
        let created = try await client.createContact(.init(firstName: "Noura", phoneNumber: "+966551112233"))
        #expect(try await client.getContact(id: created.id).firstName == "Noura")

        let outcome = try await running.terminate()
        #expect(outcome.status == 0, "stderr: \(outcome.error)")
        let saved = try JSONDecoder.hatif().decode(SandboxSnapshot.self, from: Data(contentsOf: dataFile))
        #expect(saved.contacts.map(\.id) == [created.id])
    }
}

@Suite("hatif-import sample and inspect")
struct SampleAndInspectCLITests {
    @Test("sample writes the same file for the same seed, and inspect --json describes it", arguments: ["csv", "vcf", "xml"])
    func sampleThenInspect(format: String) async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "sample-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = folder.appending(path: "a.\(format)").path
        let second = folder.appending(path: "b.\(format)").path
        #expect(try await CLIProcess.run(["sample", "--format", format, "--count", "300", "--seed", "9", "-o", first]).status == 0)
        #expect(try await CLIProcess.run(["sample", "--format", format, "--count", "300", "--seed", "9", "-o", second]).status == 0)
        #expect(FileManager.default.contentsEqual(atPath: first, andPath: second))

        let outcome = try await CLIProcess.run(["inspect", "--json", first])
        #expect(outcome.status == 0, "stderr: \(outcome.error)")
        let report = try JSONSerialization.jsonObject(with: Data(outcome.output.utf8)) as? [String: Any]
        #expect(report?["records"] as? Int == 300)
        #expect(report?["format"] as? String == format)
        #expect((report?["fields"] as? [[String: Any]])?.isEmpty == false)
    }

    @Test("inspect on a missing file exits 2 with a clear message")
    func missingFile() async throws {
        let outcome = try await CLIProcess.run(["inspect", "/nonexistent/contacts.csv"])
        #expect(outcome.status == 2)
        #expect(outcome.error.contains("Cannot open /nonexistent/contacts.csv"))
    }
}

@Suite("hatif-import validate")
struct ValidateCLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("validate on the Google sample prints the counts and top reasons, writes rejects.csv and exits 1")
    func googleSample() async throws {
        let rejects = FileManager.default.temporaryDirectory.appending(path: "rejects-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: rejects) }
        let outcome = try await CLIProcess.run([
            "validate", Self.root.appending(path: "samples/google-contacts.csv").path,
            "--mapping", Self.root.appending(path: "samples/google-mapping.yml").path, "--rejects", rejects,
        ])
        #expect(outcome.status == 1, "stderr: \(outcome.error)")
        #expect(outcome.output.contains("25 records"))
        #expect(outcome.output.contains("not a valid number for SA"))
        #expect(FileManager.default.fileExists(atPath: rejects))
    }

    @Test("a broken mapping is a configuration error with exit code 2")
    func brokenMapping() async throws {
        let mapping = FileManager.default.temporaryDirectory.appending(path: "mapping-\(UUID().uuidString).yml").path
        try "fields: [{source: a, target: Nowhere}]".write(toFile: mapping, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: mapping) }
        let outcome = try await CLIProcess.run([
            "validate", Self.root.appending(path: "samples/google-contacts.csv").path, "--mapping", mapping,
        ])
        #expect(outcome.status == 2)
        #expect(outcome.error.contains("target must be"))
    }
}
