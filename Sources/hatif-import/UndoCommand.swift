import ArgumentParser
import Foundation
import HatifAPI
import HatifImport
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `hatif-import undo RUN [--dry-run] [--force] --report DIR`.
struct UndoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Take back what an import run did: delete the contacts it created, put back the values it overwrote.",
        discussion: """
            Reads the run's journal in the run state (--state; hatif-import runs lists the runs) and, in the workspace \
            the run wrote into (--api-url and --client-id must name it): deletes each contact the run created, puts \
            back on each contact it updated the standard fields and property values it had before (a property that \
            was empty is emptied again), and creates again each contact it deleted with --on-missing delete. A run \
            resumed across crashes is undone as a whole. A contact changed since the run wrote it (its values differ \
            from those the run left) is kept and listed as a conflict; --force undoes it anyway. The undo is a run \
            of its own: it takes the workspace lock, is journaled, and the same command resumes it after a kill \
            without doing anything twice; an undo cannot be undone. --dry-run writes nothing and reports each \
            change (old → new per field) as an import's dry run does. Exit 0 when everything was undone, 1 when \
            contacts were kept as conflicts; 2 when the run cannot be undone (unknown, an undo, undone already, \
            another workspace); 3, 5, 6 and 10 as for import.
            """)

    @Argument(help: "The run to undo (the first column of hatif-import runs).") var run: Int64
    @Flag(name: .customLong("dry-run"), help: "Plan only: no write to the workspace.") var dryRun = false
    @Flag(help: "Undo contacts changed since the run wrote them too.") var force = false
    @Option(help: "Folder for the report and the results (default hatif-undo-RUN).") var report: String?
    @Option(name: .customLong("batch-size"), help: "Contacts per request slot in a window (1–500): a window of batch-size × concurrency is committed at a time.")
    var batchSize = 500
    @Option(help: "Requests in flight at most.") var concurrency = 4
    @Option(name: .customLong("max-rps"), help: "Requests per second at most, shared by all requests (0: no limit).")
    var maxRPS: Double = 20
    @Option(help: "text, or json: one JSON summary on standard output, the rest on standard error.") var output = "text"
    @OptionGroup var job: JobOptions
    @OptionGroup var service: ServiceOptions
    @OptionGroup var stateOptions: StateOptions
    @OptionGroup var api: APIOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard (1...500).contains(batchSize) else { throw ValidationError("--batch-size must be between 1 and 500.") }
        guard (1...256).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 256.") }
        guard maxRPS >= 0 else { throw ValidationError("--max-rps must be 0 (no limit) or more.") }
        guard ["text", "json"].contains(output) else { throw ValidationError("--output must be text or json.") }
    }

    func run() async throws {
        let logger = try logging.makeLogger()
        var connection = try api.connectionConfiguration()
        connection.maxRequestsPerSecond = maxRPS > 0 ? maxRPS : nil
        connection.maxConnections = max(8, concurrency)
        let json = output == "json"
        let say: @Sendable (String) -> Void = json ? printError : printLine
        let started = ContinuousClock.now
        let reportFolder = report ?? "hatif-undo-\(run)"
        var configuration = Undo.Configuration(run: run, state: try stateOptions.location(), force: force)
        configuration.concurrency = concurrency
        configuration.windowSize = batchSize * concurrency
        configuration.exitCode = { summary, error in ExitStatus.code(summary, error, budget: nil) }
        var summary = PlanSummary()
        var failure: (any Error)?
        let connected = Mutex<HatifClient?>(nil)
        let undoRun = Mutex<Int64?>(nil)
        let dryRun = self.dryRun
        let mode = dryRun ? "undo-dry-run" : "undo"
        let reporter = ServiceReporter(options: service, command: "undo", source: "run \(run)", logger: logger)
        do {
            let reading: @Sendable () async -> MetricsFile.Reading = {
                await MetricsFile.Reading(mode: mode, summary: PlanSummary(), client: connected.withLock { $0 }, elapsed: ContinuousClock.now - started, status: nil)
            }
            summary = try await reporter.during(reading) {
                try await APIConnection.with(connection, logger: logger, announce: say) { client, _ in
                    connected.withLock { $0 = client }
                    let undo = Undo(configuration: configuration, client: client)
                    if dryRun { return try await undo.dryRun(report: try PlanReportWriter(folder: reportFolder, title: "Undo plan")) }
                    return try await SignalStop.run(logger: logger) {
                        try await undo.run(outputFolder: reportFolder, runStarted: { id in undoRun.withLock { $0 = id } })
                    }
                }
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            failure = error
            if let stopped = error as? RunError { summary = stopped.committed }
        }
        let status = failure.map(ExitStatus.forError) ?? ExitStatus.forSummary(summary, budget: nil)
        if let failure { printError("error: \(failure)") }
        if failure == nil {
            let verb = dryRun ? "Undo plan for run \(run)" : "Undid run \(run)"
            say(
                "\(verb): \(summary.delete) contacts \(dryRun ? "to delete" : "deleted"), \(summary.update) \(dryRun ? "to put back" : "put back"), \(summary.create) \(dryRun ? "to create again" : "created again"), \(summary.unchanged) already as before, \(summary.conflict) kept as conflicts, \(summary.failed) failed."
            )
            if summary.conflict > 0 { say("Contacts changed since run \(run) wrote them were kept; they are listed in \(reportFolder)/report.html (--force undoes them anyway).") }
            say(dryRun ? "Nothing was written. The plan is in \(reportFolder)/report.html." : "Report: \(reportFolder)/report.html.")
        }
        let client = connected.withLock { $0 }
        let elapsed = ContinuousClock.now - started
        let runSummary = RunSummary(
            mode: mode, summary: summary, requests: client?.requests.byOperation ?? [:], elapsed: elapsed, status: status,
            error: failure.map { "\($0)" }, reportFolder: reportFolder, run: undoRun.withLock { $0 }, state: configuration.state.description)
        await reporter.finished(
            await MetricsFile.Reading(mode: mode, summary: summary, client: client, elapsed: elapsed, status: status), summary: runSummary)
        if json { printLine(runSummary.json) }
        if status != .success { throw ExitCode(status.rawValue) }
    }
}
