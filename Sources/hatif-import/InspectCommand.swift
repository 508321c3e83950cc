import ArgumentParser
import Foundation
import HatifImport

/// `hatif-import inspect FILE…`: what is in the files, before any mapping.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show format, encoding, delimiter, record count and every field's fill rate, distinct values, samples and type.")

    @Argument(help: "Input files, folders, .zip archives or - for standard input; .gz for any.") var files: [String]
    @Flag(help: "Print JSON for machines.") var json = false
    @OptionGroup var reading: ReaderArguments

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Name at least one file.") }
    }

    func run() throws {
        let inspector = FileInspector(options: try reading.readerOptions())
        let reports = try reportingErrors { try reading.inputs(files).map { try inspector.inspect($0) } }
        if json {
            try reports.count == 1 ? printJSON(reports[0]) : printJSON(reports)
        } else {
            printLine(reports.map(\.text).joined(separator: "\n\n"))
        }
    }
}
