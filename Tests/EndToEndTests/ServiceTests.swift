import Foundation
import HatifTestSupport
import Testing

/// Running as a service: a job file, the metrics file and the webhook, through the built executable.
@Suite("Running as a service")
struct ServiceTests {
    static let root = ValidateCLITests.root

    private static func folder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appending(path: "hatif-service-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// A job file that imports the Google sample into the embedded sandbox.
    private static func job(in folder: String, extra: String = "") throws -> String {
        let text = """
            files: \(root.appending(path: "samples/google-contacts.csv").path)
            mapping: \(root.appending(path: "samples/google-mapping.yml").path)
            sandbox: true
            report: \(folder)/report
            state: \(folder)/state.sqlite
            max-rps: 0
            output: json
            \(extra)
            """
        let path = folder + "/crm.yml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The tests' environment without `HATIF_STATE`, which would win over the job file's `state`.
    private static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        CLIProcess.environment(extra).filter { $0.key != "HATIF_STATE" }
    }

    private static func summary(_ outcome: CLIProcess.Outcome) throws -> [String: Any] {
        let line = try #require(outcome.output.split(separator: "\n").last)
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test("an import runs from a job file alone; config show names each setting's source and masks secrets")
    func jobFileRun() async throws {
        let folder = try Self.folder()
        let job = try Self.job(in: folder, extra: "notify: https://hooks.example.com/services/T0/B0/secret-token\n")
        let show = try await CLIProcess.run(
            ["config", "show", "import", "--config", job, "--concurrency", "2"],
            environment: Self.environment(["HATIF_MAX_REJECTS": "3", "HATIF_CLIENT_SECRET": "client-secret-value"]))
        #expect(show.status == 0, "\(show.error)")
        let lines = show.output.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("  concurrency ") && $0.hasSuffix("command line") })
        #expect(lines.contains { $0.hasPrefix("  max-rejects ") && $0.hasSuffix("environment HATIF_MAX_REJECTS") })
        #expect(lines.contains { $0.hasPrefix("  mapping ") && $0.hasSuffix("file \(job), key mapping") })
        #expect(lines.contains { $0.hasPrefix("  batch-size ") && $0.contains("500") && $0.hasSuffix("default") })
        #expect(!show.output.contains("secret-token") && !show.output.contains("client-secret-value"))

        let outcome = try await CLIProcess.run(["import", "--config", job], environment: Self.environment(["HATIF_MAX_REJECTS": "1"]))
        #expect(outcome.status == 0, "\(outcome.error)")
        let summary = try Self.summary(outcome)
        #expect(summary["records"] as? Int == 25)
        #expect((summary["outcomes"] as? [String: Int])?["created"] == 22)

        let bad = try await CLIProcess.run(["import", "--config", job], environment: Self.environment(["HATIF_CONCURRENCY": "many"]))
        #expect(bad.status == 2)
        #expect(bad.error.contains("environment variable HATIF_CONCURRENCY: "))
    }

    @Test("the metrics file parses as Prometheus text format, and a failed run keeps the last success time")
    func metricsFile() async throws {
        let folder = try Self.folder()
        let job = try Self.job(in: folder, extra: "metrics-file: \(folder)/hatif.prom\n")
        let first = try await CLIProcess.run(["import", "--config", job, "--max-rejects", "1"], environment: Self.environment())
        #expect(first.status == 0, "\(first.error) \(first.output)")
        let parsed = try Self.parseMetrics(folder + "/hatif.prom")
        #expect(parsed["hatif_import_run_records{outcome=created}"] == 22)
        #expect(parsed["hatif_import_run_records{outcome=rejected}"] == 1)
        #expect(parsed["hatif_import_run_requests{operation=createBulkContactsVCards,status=200}"] == 1)
        #expect(parsed["hatif_import_run_exit_code"] == 0)
        #expect(parsed["hatif_import_run_running"] == 0)
        #expect(parsed["hatif_import_run_retries"] == 0)
        #expect(parsed["hatif_import_run_wall_seconds"].map { $0 > 0 } == true)
        let success = try #require(parsed["hatif_import_last_success_timestamp_seconds"])
        #expect(abs(success - Date().timeIntervalSince1970) < 120)

        // The same job again (into a new embedded sandbox), where the reject now fails the run (exit 1).
        let second = try await CLIProcess.run(["import", "--config", job], environment: Self.environment())
        #expect(second.status == 1)
        let again = try Self.parseMetrics(folder + "/hatif.prom")
        #expect(again["hatif_import_run_exit_code"] == 1)
        #expect(again["hatif_import_run_records{outcome=rejected}"] == 1)
        #expect(again["hatif_import_last_success_timestamp_seconds"] == success)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test("the webhook gets the JSON summary when the run ends, without the secret")
    func webhook() async throws {
        let folder = try Self.folder()
        try await WebhookReceiver.withRunning { url, received in
            let job = try Self.job(in: folder, extra: "notify: \(url.absoluteString)\n")
            let outcome = try await CLIProcess.run(
                ["import", "--config", job], environment: Self.environment(["HATIF_CLIENT_SECRET": "client-secret-value"]))
            #expect(outcome.status == 1)
            let bodies = received.all
            #expect(bodies.count == 1)
            let body = try #require(bodies.first)
            #expect(!body.contains("client-secret-value"))
            let posted = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            let printed = try Self.summary(outcome)
            #expect(posted["records"] as? Int == 25)
            #expect(posted["exitCode"] as? Int == 1)
            #expect(posted["exitStatus"] as? String == "records-rejected")
            #expect(posted["run"] as? Int == printed["run"] as? Int)
        }
    }

    @Test("a webhook that never answers holds up the exit by at most 10 seconds")
    func deadWebhook() async throws {
        let folder = try Self.folder()
        let silent = try SilentListener()
        let job = try Self.job(in: folder, extra: "notify: http://127.0.0.1:\(silent.port)/hook\n")
        // The notification is what the run does last: from its connection to the exit is what it holds up.
        let running = try CLIProcess.start(["import", "--config", job, "--max-rejects", "1"], environment: Self.environment())
        let clock = ExitClock(running.process)
        let deadline = ContinuousClock.now + .seconds(90)
        while clock.exitedAt == nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        let exited = try #require(clock.exitedAt, "hatif-import did not end")
        let connected = try #require(silent.firstConnection, "the webhook was never called")
        let outcome = running.outcome()
        #expect(outcome.status == 0, "\(outcome.error)")
        #expect(exited - connected <= .seconds(10), "the exit came \(exited - connected) after the webhook was called")
        #expect(exited - connected >= .seconds(5), "the notifier gave up after \(exited - connected): it should have waited for the webhook")
        #expect(outcome.error.contains("gave up notifying the webhook"))
    }

    /// Samples of a metrics file parsed by `prometheus_client`'s parser, by name and labels (without
    /// `command`, `source` and `mode`).
    static func parseMetrics(_ path: String) throws -> [String: Double] {
        let script = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            out = {}
            for family in text_string_to_metric_families(open(sys.argv[1]).read()):
                for sample in family.samples:
                    labels = {k: v for k, v in sample.labels.items() if k not in ("command", "source", "mode")}
                    key = sample.name + ("{" + ",".join(f"{k}={v}" for k, v in sorted(labels.items())) + "}" if labels else "")
                    out[key] = sample.value
            print(json.dumps(out))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "prometheus_client could not parse \(path)")
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Double])
    }
}
