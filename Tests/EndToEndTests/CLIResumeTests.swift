import Foundation
import HatifImport
import HatifSandbox
import HatifTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("hatif-import import: stop, crash and resume as a process")
struct CLIResumeTests {
    /// Waits until the file at `path` has more than `lines` lines, with the process still in the middle of its
    /// run. The file is watched from a thread of its own, which pauses the process (SIGSTOP) the moment the
    /// lines are there, until this task runs again (SIGCONT): in the full suite on two cores, a task's
    /// wake-up can wait many seconds for a thread while tests that compute hold both, and a run of 2,000
    /// records once ended before the signal meant to stop it half way. The wait only guards against a hang.
    static func waitForLines(_ path: String, moreThan lines: Int, running: CLIProcess.Running) async throws -> Int {
        let pid = running.process.processIdentifier
        let found: Int? = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let deadline = ContinuousClock.now + .seconds(180)
                while ContinuousClock.now < deadline {
                    let count = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").count
                    if count > lines {
                        kill(pid, SIGSTOP)
                        continuation.resume(returning: count)
                        return
                    }
                    // Gone: it ended, and Foundation has collected its status.
                    guard kill(pid, 0) == 0 else { return continuation.resume(returning: 0) }
                    usleep(10_000)
                }
                continuation.resume(returning: nil)
            }
        }
        kill(pid, SIGCONT)
        guard let found else { throw CLIProcessError.timedOut(running.process.arguments ?? []) }
        guard found > lines else { throw CLIProcessError.outputMissing("stderr: \(running.outcome().error)") }
        return found
    }

    @Test(
        "SIGTERM stops with exit 3 after committing; two SIGTERMs stop at once; a second run into the workspace exits 6 naming the holder; SIGKILL mid-window commits the window whole or not at all, frees the lock and loses nothing; the last run finishes with each record once",
        arguments: StateBackend.available)
    func stopKillResume(backend: StateBackend) async throws {
        var fixture = try ImportFixture(count: 2_000)
        defer { fixture.remove() }
        fixture.state = try await backend.freshLocation(in: fixture.folder)
        try Data(ImportFixture.mappingText.utf8).write(to: fixture.folder.appending(path: "mapping.yml"))
        let faults = FaultConfiguration(seed: 4, latencyMilliseconds: 15, rateLimit: nil)
        try await SandboxServer.withRunning(configuration: SandboxConfiguration(faults: faults)) { sandbox in
            let arguments = [
                "import", fixture.input, "--mapping", fixture.folder.appending(path: "mapping.yml").path, "--report", fixture.report,
                "--batch-size", "50", "--concurrency", "2", "--max-rps", "0", "--dedup", "search", "--progress-every", "0.2",
                "--state", fixture.state.argument,
            ]
            let environment = CLIProcess.environment([
                "HATIF_API_URL": sandbox.url.absoluteString, "HATIF_CLIENT_ID": "sandbox", "HATIF_CLIENT_SECRET": "sandbox-secret",
            ])

            let first = try CLIProcess.start(arguments, environment: environment)
            _ = try await Self.waitForLines(fixture.results, moreThan: 0, running: first)
            let stopped = try await first.terminate()
            #expect(stopped.status == 3, "stderr: \(stopped.error)")
            #expect(stopped.error.contains("Run the same command again to resume"))
            #expect(stopped.error.contains("progress"), "progress lines every 0.2 s when not on a terminal")
            let afterStop = try fixture.resultEntries().count
            #expect(afterStop > 0 && afterStop < 2_000)

            // A second signal stops at once (task cancellation): the requests in flight are abandoned, the
            // checkpoint still names them, and the next run reconciles them.
            let twice = try CLIProcess.start(arguments, environment: environment)
            _ = try await Self.waitForLines(fixture.results, moreThan: afterStop, running: twice)
            let signalled = ContinuousClock.now
            kill(twice.process.processIdentifier, SIGTERM)
            // Blocking, not `Task.sleep`: the wake-up of a task may wait seconds for a thread in the full suite,
            // and this measures how soon the process stops, not that.
            usleep(30_000)
            kill(twice.process.processIdentifier, SIGTERM)
            twice.process.waitUntilExit()
            #expect(ContinuousClock.now - signalled < .seconds(5))
            #expect(twice.process.terminationStatus == 3, "stderr: \(twice.outcome().error)")
            let afterTwice = try fixture.resultEntries().count

            let second = try CLIProcess.start(arguments, environment: environment)
            _ = try await Self.waitForLines(fixture.results, moreThan: afterTwice, running: second)
            // One writing run per workspace: another one exits at once with 6 and names the holder.
            let intruder = try await CLIProcess.run(arguments, environment: environment)
            #expect(intruder.status == 6, "stderr: \(intruder.error)")
            #expect(intruder.error.contains("pid \(second.process.processIdentifier)") && intruder.error.contains("run "), "\(intruder.error)")
            try await Task.sleep(for: .milliseconds(150))  // into the next window's requests
            kill(second.process.processIdentifier, SIGKILL)
            second.process.waitUntilExit()
            let killed = try #require(try await fixture.state.lastRun())
            let checkpoint = try #require(killed.checkpoint)
            #expect(checkpoint.summary.records >= afterTwice)
            let journal = try await fixture.state.journal(run: killed.id)
            #expect(journal.count == checkpoint.summary.records, "the journal holds exactly the windows the checkpoint counts")
            #expect(journal.map(\.id.ordinal) == Array(1...journal.count), "and they are the records before where it resumes")
            let checkpointText = try RunRecordText.of(checkpoint)
            #expect(!checkpointText.contains("@") && !checkpointText.contains("+9"), "no email or phone in the checkpoint")

            await sandbox.server.setFaults(.none)
            let third = try await CLIProcess.run(arguments, environment: environment)
            #expect(third.status == 0, "stderr: \(third.error)")
            #expect(third.output.contains("Imported 2000 records"))
            #expect(try fixture.resultEntries().map(\.ordinal) == Array(1...2_000), "each record once in results.jsonl")
            await expectWorkspaceHolds(fixture, sandbox)
            let last = try #require(try await fixture.state.lastRun())
            #expect(last.id == killed.id && last.status == .finished && last.exitCode == 0, "the resumed runs are one run in the history")
            #expect(try await fixture.state.journal(run: last.id).count == 2_000)

            // The run resumed across kills is undone as a whole: the contacts its killed attempts created
            // (found again on resume and completed) are deleted with the rest.
            let undo = try await CLIProcess.run(
                ["undo", "\(last.id)", "--report", fixture.folder.appending(path: "undo").path, "--max-rps", "0", "--state", fixture.state.argument],
                environment: environment)
            #expect(undo.status == 0, "stderr: \(undo.error)")
            #expect(undo.output.contains("2000 contacts deleted"), "\(undo.output)")
            #expect(await sandbox.server.export().contacts.isEmpty, "the workspace is as before the import")
        }
    }
}
