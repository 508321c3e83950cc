import ArgumentParser
import Foundation
import HatifImport
import Logging
import Synchronization
import HatifAPI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `hatif-import import FILE… --mapping M [--dry-run] --report out/`.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import contacts; --dry-run reads the workspace, writes the plan report and changes nothing.",
        discussion: """
            The API is the one named by --api-url or HATIF_API_URL; --sandbox runs against an embedded sandbox \
            instead, and says so. With neither the command refuses (exit 2): a job must never "succeed" against a \
            sandbox. The dry run fetches a token, lists the properties and searches for the records' keys: no \
            write; the report folder gets plan.jsonl, plan.csv, report.html and summary.json. The import creates \
            the missing properties, then creates contacts in bulk and updates existing ones, committing each \
            window of records to the run state (--state); the report folder gets results.jsonl and rejects.csv as \
            it goes, and report.html, results.csv and summary.json at the end. One run writes into a workspace at a \
            time. Run the same command again after an interruption to resume. --incremental trusts the source \
            index: a record with the same values as when a committed run wrote it is unchanged without a lookup; \
            every --verify-every runs (and with --verify) every record is looked up, which catches edits made in \
            Hatif. SIGINT/SIGTERM stop cleanly (exit 3); a second one stops at once. \
            --output json prints one JSON summary on standard output and everything else on standard error.
            \(ExitStatus.table)
            """)

    @Argument(help: "Input files, folders (their files in name order), .zip archives (their entries) or - for standard input; .gz for any.") var files: [String]
    @Option(help: "The mapping file (YAML).") var mapping: String
    @Flag(name: .customLong("dry-run"), help: "Plan only: no write to the workspace.") var dryRun = false
    @Flag(help: "Run against an embedded sandbox instead of the API (a rehearsal; nothing reaches Hatif).") var sandbox = false
    @Option(help: "Folder for the report and the results.") var report = "hatif-report"
    @Flag(name: .customLong("report-unchanged"), help: "List the unchanged records in report.html too (they are always in the CSV and JSON Lines files).")
    var reportUnchanged = false
    @Option(name: .customLong("report-rows"), help: "Rows report.html lists at most; rejects, failures and conflicts first. The CSV and JSON Lines files list every record.")
    var reportRows = 100_000
    @Flag(help: "Mask names, phones and e-mails in report.html, plan.csv / results.csv and rejects.csv, to share a report outside the team (plan.jsonl and results.jsonl keep the values).")
    var redact = false
    @Option(help: "Match keys in order, comma-separated: phone, email, property:<name>; the first that finds a contact wins.") var match = "phone,email"
    @Option(help: "search, prefetch or auto.") var dedup = "auto"
    @Option(name: .customLong("on-existing"), help: "update, fill-empty or skip.") var onExisting = "update"
    @Option(name: .customLong("on-multiple"), help: "conflict or oldest.") var onMultiple = "conflict"
    @Option(name: .customLong("batch-size"), help: "Cards per bulk file and records per lookup batch (1–500).") var batchSize = 500
    @Option(help: "Requests in flight at most.") var concurrency = 4
    @Option(name: .customLong("max-rps"), help: "Requests per second at most, shared by all requests (0: no limit).")
    var maxRPS: Double = 20
    @Option(
        name: .customLong("max-rejects"),
        help: "Records that may be left out (rejected, in conflict or failed) with exit 0, as a count (250) or a share (0.5%). Default 0.")
    var maxRejects: String?
    @Option(help: "text, or json: one JSON summary on standard output, the rest on standard error.") var output = "text"
    @Option(help: "The name of what is imported, for the run history and the source index (default: the input files' names).")
    var source: String?
    @Flag(help: "Leave this source's unfinished run and start over instead of resuming it.") var restart = false
    @Flag(help: "Trust the source index: records unchanged since a committed run are not looked up.") var incremental = false
    @Flag(help: "With --incremental: look every record up this time.") var verify = false
    @Option(name: .customLong("verify-every"), help: "With --incremental: look every record up every N runs of the source.")
    var verifyEvery = 7
    @Option(
        name: .customLong("on-missing"),
        help: "ignore, flag (set the Date property hatif_missing_since) or delete the contacts earlier runs of --source wrote that this input no longer holds.")
    var onMissing = "ignore"
    @Option(name: .customLong("max-missing"), help: "With --on-missing: contacts newly gone from the source that it acts on at most, as a count or a share (default 5%).")
    var maxMissing = "5%"
    @Flag(name: .customLong("allow-shrink"), help: "With --on-missing: go ahead even when the input holds fewer than half the records of the source's last complete run.")
    var allowShrink = false
    @OptionGroup var job: JobOptions
    @OptionGroup var service: ServiceOptions
    @OptionGroup var stateOptions: StateOptions
    @Option(name: .customLong("progress-every"), help: "Seconds between progress lines when standard error is not a terminal.")
    var progressEvery: Double = 10
    @OptionGroup var api: APIOptions
    @OptionGroup var reading: ReaderArguments
    @OptionGroup var phoneOptions: PhoneOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Name at least one input file.") }
        guard (1...500).contains(batchSize) else { throw ValidationError("--batch-size must be between 1 and 500.") }
        guard (1...256).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 256.") }
        guard maxRPS >= 0 else { throw ValidationError("--max-rps must be 0 (no limit) or more.") }
        guard reportRows >= 0 else { throw ValidationError("--report-rows must be 0 or more.") }
        guard progressEvery > 0 else { throw ValidationError("--progress-every must be more than 0.") }
        guard ["text", "json"].contains(output) else { throw ValidationError("--output must be text or json.") }
        guard verifyEvery >= 1 else { throw ValidationError("--verify-every must be 1 or more.") }
        guard MissingPolicy.Action(rawValue: onMissing) != nil else { throw ValidationError("--on-missing must be ignore, flag or delete.") }
        if onMissing != "ignore", source == nil {
            throw ValidationError("--on-missing needs --source NAME: the name that ties this run to the earlier runs of the same source (export file names change).")
        }
        guard Allowance(maxMissing) != nil else { throw ValidationError("--max-missing takes a count (250) or a percentage (5%), not \(maxMissing).") }
        if let maxRejects, RejectBudget(maxRejects) == nil {
            throw ValidationError("--max-rejects takes a count (250) or a percentage (0.5%), not \(maxRejects).")
        }
    }

    func run() async throws {
        let keys = try match.split(separator: ",").map { text in
            guard let key = MatchKey(String(text).trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--match takes phone, email or property:<name>, not \(text).")
            }
            return key
        }
        guard let strategy = DedupStrategy(rawValue: dedup) else { throw ValidationError("--dedup must be search, prefetch or auto.") }
        guard let existing = PlanPolicy.OnExisting(rawValue: onExisting) else {
            throw ValidationError("--on-existing must be update, fill-empty or skip.")
        }
        guard let multiple = PlanPolicy.OnMultiple(rawValue: onMultiple) else { throw ValidationError("--on-multiple must be conflict or oldest.") }
        let logger = try logging.makeLogger()
        var connection = try api.connectionConfiguration()
        connection.sandbox = sandbox
        connection.maxRequestsPerSecond = maxRPS > 0 ? maxRPS : nil
        connection.maxConnections = max(8, concurrency)
        let json = output == "json"
        let say: @Sendable (String) -> Void = json ? printError : printLine
        let started = ContinuousClock.now
        var summary = PlanSummary()
        var failure: (any Error)?
        let connected = Mutex<HatifClient?>(nil)
        let runID = Mutex<Int64?>(nil)
        let budget = maxRejects.flatMap(RejectBudget.init)
        let stateLocation = try stateOptions.location()
        let mode = dryRun ? "dry-run" : "run"
        let reporter = ServiceReporter(
            options: service, command: "import", source: source ?? files.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ","),
            logger: logger)
        do {
            let mappingFile = try MappingFile.load(path: mapping)
            var configuration = Pipeline.Configuration(
                files: try reading.inputs(files, resumable: !dryRun), mapping: mappingFile, readerOptions: try reading.readerOptions(), matchKeys: keys, dedup: strategy,
                policy: PlanPolicy(onExisting: existing, onMultiple: multiple), batchSize: batchSize, concurrency: concurrency,
                state: stateLocation, source: source, restart: restart)
            configuration.strictPhones = phoneOptions.strict
            configuration.report = ReportOptions(listUnchanged: reportUnchanged, rowBudget: reportRows, redact: redact)
            configuration.incremental = incremental
            configuration.verify = verify
            configuration.verifyEvery = verifyEvery
            configuration.missing = MissingPolicy(
                action: MissingPolicy.Action(rawValue: onMissing) ?? .ignore, limit: Allowance(maxMissing) ?? Allowance(percent: 5), allowShrink: allowShrink)
            configuration.exitCode = { summary, error in ExitStatus.code(summary, error, budget: budget) }
            let (reportFolder, dryRun) = (report, self.dryRun)
            let display = ProgressDisplay(
                onTerminal: !json && isatty(2) == 1 && !logging.isJSON, every: .milliseconds(Int(progressEvery * 1000)), logger: logger)
            let progress = RunProgress()
            let reading: @Sendable () async -> MetricsFile.Reading = {
                await MetricsFile.Reading(
                    mode: mode, summary: await progress.snapshot().summary, client: connected.withLock { $0 }, elapsed: ContinuousClock.now - started,
                    status: nil)
            }
            summary = try await reporter.during(reading) {
                try await APIConnection.with(connection, logger: logger, announce: say) { client, _ in
                    connected.withLock { $0 = client }
                    let pipeline = Pipeline(configuration: configuration, client: client)
                    if dryRun {
                        return try await pipeline.dryRun(report: try PlanReportWriter(folder: reportFolder, options: configuration.report))
                    }
                    return try await SignalStop.run(logger: logger) {
                        try await display.showing(progress) {
                            try await pipeline.run(outputFolder: reportFolder, progress: progress, runStarted: { id in runID.withLock { $0 = id } })
                        }
                    }
                }
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            failure = error
            // A run that stopped still committed what it committed.
            if let stopped = error as? RunError { summary = stopped.committed }
        }
        let status = failure.map(ExitStatus.forError) ?? ExitStatus.forSummary(summary, budget: budget)
        if let failure { printError("error: \(failure)") }
        if failure == nil { describe(summary, say: say) }
        let client = connected.withLock { $0 }
        let elapsed = ContinuousClock.now - started
        let runSummary = RunSummary(
            mode: mode, summary: summary, requests: client?.requests.byOperation ?? [:], elapsed: elapsed, status: status,
            error: failure.map { "\($0)" }, reportFolder: report, run: runID.withLock { $0 },
            state: dryRun && !incremental ? nil : stateLocation.description)
        await reporter.finished(
            await MetricsFile.Reading(mode: mode, summary: summary, client: client, elapsed: elapsed, status: status), summary: runSummary)
        if json {
            printLine(runSummary.json)
        } else if logging.isJSON {
            logger.notice(
                "import finished",
                metadata: [
                    "records": "\(summary.records)", "created": "\(summary.create)", "updated": "\(summary.update)",
                    "unchanged": "\(summary.unchanged)", "merged": "\(summary.merged)", "conflict": "\(summary.conflict)",
                    "rejected": "\(summary.reject)", "failed": "\(summary.failed)", "exit": "\(status.rawValue)",
                ])
        }
        if status != .success { throw ExitCode(status.rawValue) }
    }

    /// The human summary of a finished dry run or run.
    private func describe(_ summary: PlanSummary, say: (String) -> Void) {
        if dryRun {
            say(
                "Dry run: \(summary.records) records — \(summary.create) create, \(summary.update) update, \(summary.unchanged) unchanged, \(summary.merged) merged, \(summary.conflict) conflict, \(summary.reject) reject."
            )
            if !summary.propertiesToCreate.isEmpty { say("Properties to create: \(summary.propertiesToCreate.joined(separator: ", ")).") }
            if let sizing = summary.sizing { say("Requests: \(sizing.line).") }
        } else {
            say(
                "Imported \(summary.records) records: \(summary.create) created, \(summary.update) updated, \(summary.unchanged) unchanged, \(summary.merged) merged, \(summary.conflict) conflict, \(summary.reject) rejected, \(summary.failed) failed."
            )
            if !summary.propertiesToCreate.isEmpty { say("Properties created: \(summary.propertiesToCreate.joined(separator: ", ")).") }
            if let comparison = summary.sizing?.comparison { say(comparison) }
        }
        for notice in summary.inputNotices { say("Note: \(notice).") }
        if let warning = UnmatchedSources.warning(summary.unmatchedSources) { say(warning) }
        for (name, options) in summary.optionsAdded.sorted(by: { $0.key < $1.key }) {
            let shown = options.prefix(20).joined(separator: ", ") + (options.count > 20 ? ", … (\(options.count) in all)" : "")
            say("\(dryRun ? "Options to add to" : "Options added to") \(name): \(shown).")
        }
        if summary.missingFlagged + summary.missingDeleted > 0 {
            let done = dryRun ? "would be" : "were"
            say("Gone from the source: \(summary.missingFlagged) contacts \(done) flagged (\(MissingPolicy.property)), \(summary.missingDeleted) \(done) deleted.")
        }
        if summary.phonesKept > 0 {
            say(
                "\(summary.phonesKept) records keep a phone that the phone metadata (\(PhoneMetadata.current)) does not know: check them (their notes say which); --phones strict drops such numbers.")
        }
        if dryRun {
            say("Nothing was written. The plan is in \(report)/report.html, plan.jsonl and plan.csv.")
        } else {
            say("Report: \(report)/report.html; per record: \(report)/results.jsonl; rejects: \(report)/rejects.csv.")
        }
    }
}
