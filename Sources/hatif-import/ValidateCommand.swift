import ArgumentParser
import Foundation
import HatifImport

/// `hatif-import validate FILE… --mapping M`: read, map and validate offline.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Read, map and validate offline: count outcomes, show the top reject reasons, write rejects.csv.",
        discussion: "No network is used. Exit code 0 when every record is valid, 1 when some were rejected.")

    @Argument(help: "Input files, folders, .zip archives or - for standard input; .gz for any.") var files: [String]
    @Option(help: "The mapping file (YAML).") var mapping: String
    @Option(help: "Where to write the rejects.") var rejects: String = "rejects.csv"
    @Flag(help: "Print the summary as JSON.") var json = false
    @OptionGroup var job: JobOptions
    @OptionGroup var reading: ReaderArguments
    @OptionGroup var phoneOptions: PhoneOptions

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Name at least one input file.") }
    }

    func run() async throws {
        let inputs = try reportingErrors { try reading.inputs(files) }
        let validation = try reportingErrors {
            OfflineValidation(mapping: try MappingFile.load(path: mapping), readerOptions: try reading.readerOptions(), strictPhones: phoneOptions.strict)
        }
        let rejectsFile = try reportingErrors { try RejectsFile(path: rejects) }
        let summary = try await runReportingErrors { try await validation.run(files: inputs, rejects: rejectsFile) }
        if json {
            try printJSON(summary)
        } else {
            printLine(Self.render(summary, files: inputs.count, rejectsPath: rejects))
        }
        if summary.rejects > 0 { throw ExitCode(ExitStatus.recordsRejected.rawValue) }
    }

    static func render(_ summary: OfflineValidation.Summary, files: Int, rejectsPath: String) -> String {
        var lines = ["Validated \(files) file\(files == 1 ? "" : "s"): \(summary.records) records"]
        lines.append("  valid:      \(summary.valid)")
        lines.append("  rejected:   \(summary.rejects) (unreadable \(summary.unreadable), by the mapping \(summary.rejected))")
        lines.append("  with notes: \(summary.withNotes)")
        for notice in summary.inputNotices { lines.append("Note: \(notice).") }
        if let warning = UnmatchedSources.warning(summary.unmatchedSources, hint: " (check the spelling and case against `hatif-import inspect`)") {
            lines.append(warning)
        }
        if !summary.topReasons.isEmpty {
            lines.append("Top reject reasons:")
            for reason in summary.topReasons {
                lines.append("  \(reason.count) × \(reason.reason)")
                lines.append("      e.g. \(reason.example)")
            }
            lines.append("Every reject is in \(rejectsPath).")
        }
        return lines.joined(separator: "\n")
    }
}
