import ArgumentParser
import Foundation
import HatifImport

/// `hatif-import import FILE… --mapping M --dry-run --report out/`.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import contacts; --dry-run reads the workspace, writes the plan report and changes nothing.",
        discussion: """
            The dry run fetches a token, lists the properties and searches for the records' keys: no write. The \
            report folder gets plan.jsonl, plan.csv and summary.json. The real import arrives with issue #6.
            """)

    @Argument(help: "Input files.") var files: [String]
    @Option(help: "The mapping file (YAML).") var mapping: String
    @Flag(name: .customLong("dry-run"), help: "Plan only: no write to the workspace.") var dryRun = false
    @Option(help: "Folder for the report.") var report = "hatif-report"
    @Option(help: "Match keys in order, comma-separated: phone, email, property:<name>.") var match = "phone"
    @Option(help: "search, prefetch or auto.") var dedup = "auto"
    @Option(name: .customLong("on-existing"), help: "update, fill-empty or skip.") var onExisting = "update"
    @Option(name: .customLong("on-multiple"), help: "conflict or oldest.") var onMultiple = "conflict"
    @Option(name: .customLong("batch-size"), help: "Records per lookup batch.") var batchSize = 500
    @OptionGroup var api: APIOptions
    @OptionGroup var reading: ReaderArguments
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Name at least one input file.") }
        guard (1...500).contains(batchSize) else { throw ValidationError("--batch-size must be between 1 and 500.") }
    }

    func run() async throws {
        guard dryRun else {
            printLine("The real import arrives with issue #6 (push); run with --dry-run to see the plan.")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
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
        let connection = try api.connectionConfiguration()
        let mappingFile = try reportingErrors { try MappingFile.load(path: mapping) }
        let configuration = Pipeline.Configuration(
            files: files, mapping: mappingFile, readerOptions: try reading.readerOptions(), matchKeys: keys, dedup: strategy,
            policy: PlanPolicy(onExisting: existing, onMultiple: multiple), batchSize: batchSize)
        let reportFolder = report
        var summary = PlanSummary()
        try await runReportingErrors {
            summary = try await APIConnection.with(connection, logger: logger, announce: printLine) { client, _ in
                try await Pipeline(configuration: configuration, client: client).dryRun(report: try PlanReportWriter(folder: reportFolder))
            }
        }
        printLine("Dry run: \(summary.records) records — \(summary.create) create, \(summary.update) update, \(summary.unchanged) unchanged, \(summary.merged) merged, \(summary.conflict) conflict, \(summary.reject) reject.")
        if !summary.propertiesToCreate.isEmpty { printLine("Properties to create: \(summary.propertiesToCreate.joined(separator: ", ")).") }
        printLine("Nothing was written. The plan is in \(reportFolder)/plan.jsonl and plan.csv.")
        if summary.reject > 0 || summary.conflict > 0 { throw ExitCode(ExitStatus.recordsRejected.rawValue) }
    }
}
