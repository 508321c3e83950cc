import ArgumentParser
import Foundation
import HatifImport

/// `hatif-import runs [show RUN]`: the run history in the run state.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List the runs in the run state, newest first; runs show RUN prints one.",
        subcommands: [List.self, Show.self],
        defaultSubcommand: List.self)

    /// `runs` / `runs list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List runs, newest first.")

        @Option(help: "Runs to list at most.") var limit = 50
        @Option(help: "text or json.") var output = "text"
        @OptionGroup var stateOptions: StateOptions

        func validate() throws {
            guard ["text", "json"].contains(output) else { throw ValidationError("--output must be text or json.") }
            guard limit > 0 else { throw ValidationError("--limit must be 1 or more.") }
        }

        func run() async throws {
            let runs = try await RunsCommand.withStore(stateOptions) { try await $0.runs(limit: limit) }
            if output == "json" {
                printLine("[" + runs.map { RunDescription($0).json }.joined(separator: ",") + "]")
                return
            }
            guard !runs.isEmpty else {
                printLine("No runs yet.")
                return
            }
            printLine(RunDescription.tableHeader)
            for run in runs { printLine(RunDescription(run).tableRow) }
        }
    }

    /// `runs show RUN`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Print one run: summary, inputs, exit status, report.")

        @Argument(help: "The run's id (the first column of hatif-import runs).") var id: Int64
        @Option(help: "text or json.") var output = "text"
        @OptionGroup var stateOptions: StateOptions

        func validate() throws {
            guard ["text", "json"].contains(output) else { throw ValidationError("--output must be text or json.") }
        }

        func run() async throws {
            let found = try await RunsCommand.withStore(stateOptions) { try await $0.run(id) }
            guard let run = found else {
                printError("error: \(StateError.noSuchRun(id))")
                throw ExitCode(ExitStatus.usage.rawValue)
            }
            let description = RunDescription(run)
            printLine(output == "json" ? description.json : description.details)
        }
    }

    /// Opens the state, runs `body`, closes it; a state that cannot be opened is a usage error.
    static func withStore<T>(_ options: StateOptions, _ body: (any StateStore) async throws -> T) async throws -> T {
        do { return try await options.location().withStore(body) } catch let error as StateError {
            printError("error: \(error)")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
    }
}
