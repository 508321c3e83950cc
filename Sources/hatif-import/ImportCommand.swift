import ArgumentParser
import Foundation
import HatifImport
import Logging

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
            The dry run fetches a token, lists the properties and searches for the records' keys: no write; the \
            report folder gets plan.jsonl, plan.csv, report.html and summary.json. The import creates the missing \
            properties, then creates contacts in bulk and updates existing ones, committing each window of \
            records to the checkpoint; the report folder gets results.jsonl and rejects.csv as it goes, and \
            report.html, results.csv and summary.json at the end. Run the same command again after an \
            interruption to resume. SIGINT/SIGTERM stop cleanly (exit 3); a second one stops at once.
            Exit codes: 0 done; 1 records rejected, failed or in conflict; 2 usage or configuration error; \
            3 interrupted, resumable; 4 authentication failed; 5 API unavailable after retries (resumable).
            """)

    @Argument(help: "Input files.") var files: [String]
    @Option(help: "The mapping file (YAML).") var mapping: String
    @Flag(name: .customLong("dry-run"), help: "Plan only: no write to the workspace.") var dryRun = false
    @Option(help: "Folder for the report and the results.") var report = "hatif-report"
    @Option(help: "Match keys in order, comma-separated: phone, email, property:<name>; the first that finds a contact wins.") var match = "phone,email"
    @Option(help: "search, prefetch or auto.") var dedup = "auto"
    @Option(name: .customLong("on-existing"), help: "update, fill-empty or skip.") var onExisting = "update"
    @Option(name: .customLong("on-multiple"), help: "conflict or oldest.") var onMultiple = "conflict"
    @Option(name: .customLong("batch-size"), help: "Cards per bulk file and records per lookup batch (1–500).") var batchSize = 500
    @Option(help: "Requests in flight at most.") var concurrency = 4
    @Option(name: .customLong("max-rps"), help: "Requests per second at most, shared by all requests (0: no limit).")
    var maxRPS: Double = 20
    @Option(help: "The checkpoint file (default: <first input>.hatif-checkpoint.json).") var checkpoint: String?
    @Flag(help: "Start over instead of resuming from the checkpoint.") var restart = false
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
        guard progressEvery > 0 else { throw ValidationError("--progress-every must be more than 0.") }
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
        connection.maxRequestsPerSecond = maxRPS > 0 ? maxRPS : nil
        connection.maxConnections = max(8, concurrency)
        let mappingFile = try reportingErrors { try MappingFile.load(path: mapping) }
        var configuration = Pipeline.Configuration(
            files: files, mapping: mappingFile, readerOptions: try reading.readerOptions(), matchKeys: keys, dedup: strategy,
            policy: PlanPolicy(onExisting: existing, onMultiple: multiple), batchSize: batchSize, concurrency: concurrency,
            checkpointPath: checkpoint, restart: restart)
        configuration.strictPhones = phoneOptions.strict
        let reportFolder = report
        if dryRun {
            var summary = PlanSummary()
            try await runReportingErrors {
                summary = try await APIConnection.with(connection, logger: logger, announce: printLine) { client, _ in
                    try await Pipeline(configuration: configuration, client: client).dryRun(report: try PlanReportWriter(folder: reportFolder))
                }
            }
            printLine(
                "Dry run: \(summary.records) records — \(summary.create) create, \(summary.update) update, \(summary.unchanged) unchanged, \(summary.merged) merged, \(summary.conflict) conflict, \(summary.reject) reject."
            )
            if !summary.propertiesToCreate.isEmpty { printLine("Properties to create: \(summary.propertiesToCreate.joined(separator: ", ")).") }
            printAdditions(summary, dryRun: true)
            printLine("Nothing was written. The plan is in \(reportFolder)/report.html, plan.jsonl and plan.csv.")
            if summary.reject > 0 || summary.conflict > 0 { throw ExitCode(ExitStatus.recordsRejected.rawValue) }
            return
        }

        StopSignal.install()
        let display = ProgressDisplay(onTerminal: isatty(2) == 1 && !logging.isJSON, every: .milliseconds(Int(progressEvery * 1000)), logger: logger)
        var summary = PlanSummary()
        try await runReportingErrors {
            summary = try await APIConnection.with(connection, logger: logger, announce: printLine) { client, _ in
                let progress = RunProgress()
                return try await display.showing(progress) {
                    try await Pipeline(configuration: configuration, client: client).run(
                        outputFolder: reportFolder, progress: progress, shouldStop: StopSignal.isRequested)
                }
            }
        }
        printLine(
            "Imported \(summary.records) records: \(summary.create) created, \(summary.update) updated, \(summary.unchanged) unchanged, \(summary.merged) merged, \(summary.conflict) conflict, \(summary.reject) rejected, \(summary.failed) failed."
        )
        if !summary.propertiesToCreate.isEmpty { printLine("Properties created: \(summary.propertiesToCreate.joined(separator: ", ")).") }
        printAdditions(summary, dryRun: false)
        printLine("Report: \(reportFolder)/report.html; per record: \(reportFolder)/results.jsonl; rejects: \(reportFolder)/rejects.csv.")
        if logging.isJSON {
            logger.notice(
                "import finished",
                metadata: [
                    "records": "\(summary.records)", "created": "\(summary.create)", "updated": "\(summary.update)",
                    "unchanged": "\(summary.unchanged)", "merged": "\(summary.merged)", "conflict": "\(summary.conflict)",
                    "rejected": "\(summary.reject)", "failed": "\(summary.failed)",
                ])
        }
        if summary.reject > 0 || summary.conflict > 0 || summary.failed > 0 { throw ExitCode(ExitStatus.recordsRejected.rawValue) }
    }

    /// The options added to choice lists and the phones kept for checking, when there are any.
    private func printAdditions(_ summary: PlanSummary, dryRun: Bool) {
        for (name, options) in summary.optionsAdded.sorted(by: { $0.key < $1.key }) {
            let shown = options.prefix(20).joined(separator: ", ") + (options.count > 20 ? ", … (\(options.count) in all)" : "")
            printLine("\(dryRun ? "Options to add to" : "Options added to") \(name): \(shown).")
        }
        if summary.phonesKept > 0 {
            printLine(
                "\(summary.phonesKept) records keep a phone that the phone metadata (\(PhoneMetadata.current)) does not know: check them (their notes say which); --phones strict drops such numbers.")
        }
    }
}
