import Foundation
import HatifAPI
import HatifImport
import HatifSandbox
import HatifTestSupport
import Testing

@Suite("Secrets never leave the process")
struct SecretsTests {
    @Test("an import at trace and debug level, stopped and resumed, writes no client secret and no token to any output")
    func noSecretInAnyOutput() async throws {
        let fixture = try ImportFixture(count: 3_000)
        defer { fixture.remove() }
        let secret = "Sentinel-Client-Secret-\(UUID().uuidString.prefix(8))"
        let mappingPath = fixture.folder.appending(path: "mapping.yml").path
        try Data(ImportFixture.mappingText.utf8).write(to: URL(fileURLWithPath: mappingPath))
        let stateFolder = fixture.folder.appending(path: "state").path
        let state = stateFolder + "/state.sqlite"
        // Renewals are logged: each process fetches its own token, and the revocation below makes the first
        // one renew after a 401. Tokens that expire within the run add nothing to that, and on a loaded
        // machine a token call took longer than a 3 s lifetime, so the token arrived expired, was refused
        // twice and stopped the run before its first result (1 s tokens failed the same way).
        let configuration = SandboxConfiguration(
            clientSecret: Secret(secret), tokenLifetime: .seconds(30), faults: FaultConfiguration(latencyMilliseconds: 3, rateLimit: nil))
        try await SandboxServer.withRunning(configuration: configuration) { sandbox in
            let environment = CLIProcess.environment([
                "HATIF_API_URL": sandbox.url.absoluteString, "HATIF_CLIENT_ID": "sandbox", "HATIF_CLIENT_SECRET": secret,
            ])
            let arguments = [
                "import", fixture.input, "--mapping", mappingPath, "--report", fixture.report, "--state", state,
                "--batch-size", "100", "--max-rps", "0", "--progress-every", "0.2",
            ]
            let first = try CLIProcess.start(arguments + ["--log-level", "trace"], environment: environment)
            _ = try await CLIResumeTests.waitForLines(fixture.results, moreThan: 0, running: first)
            await sandbox.server.revokeTokens()
            try await Task.sleep(for: .milliseconds(300))
            let stopped = try await first.terminate()
            #expect(stopped.status == 3, "stderr: \(stopped.error.suffix(2_000))")
            // The run state's files (database, write-ahead log, lock), as bytes: what a stopped run left.
            func stateFiles(_ label: String) throws -> [(String, String)] {
                try FileManager.default.contentsOfDirectory(atPath: stateFolder).map { name in
                    ("\(label) state file \(name)", String(decoding: try Data(contentsOf: URL(fileURLWithPath: stateFolder + "/" + name)), as: UTF8.self))
                }
            }
            let stoppedState = try stateFiles("stopped run's")
            #expect(stoppedState.count >= 2, "the database and the workspace lock")

            let second = try await CLIProcess.run(arguments + ["--log-level", "debug", "--log-format", "json"], environment: environment)
            #expect(second.status == 0, "stderr: \(second.error.suffix(2_000))")

            var outputs: [(String, String)] = [
                ("first run's stdout", stopped.output), ("first run's stderr", stopped.error), ("second run's stdout", second.output),
                ("second run's stderr", second.error),
            ]
            outputs += stoppedState
            outputs += try stateFiles("finished run's")
            for name in try FileManager.default.contentsOfDirectory(atPath: fixture.report) {
                outputs.append((name, try String(contentsOfFile: fixture.report + "/" + name, encoding: .utf8)))
            }
            #expect(outputs.count >= 13, "logs, state, lock, results, rejects, report, csv, summary")
            #expect(stopped.error.contains("updateContact") || stopped.error.contains("createBulkContactsVCards"), "trace logs name the calls")
            #expect(stopped.error.contains("token"), "trace logs cover the token renewals")
            #expect(second.error.contains("\"level\":\"debug\"") || second.error.contains("\"level\":\"trace\"") || second.error.contains("\"level\""))
            for (name, text) in outputs {
                #expect(!text.contains(secret), "the client secret is in \(name)")
                #expect(text.firstMatch(of: /sbx_[0-9a-f]{6,}/) == nil, "a token is in \(name)")
                #expect(!text.contains("Bearer "), "an Authorization header is in \(name)")
            }
            #expect(await sandbox.server.statistics.snapshot().count("requestToken") >= 2, "tokens were renewed during the run")
        }
    }
}
