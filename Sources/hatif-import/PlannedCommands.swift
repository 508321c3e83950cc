import ArgumentParser
import HatifImport

/// A subcommand whose stage of the pipeline is still being built: it says so and exits with the usage code.
protocol PlannedCommand: AsyncParsableCommand {
    static var plannedIn: String { get }
}

extension PlannedCommand {
    func run() async throws {
        printLine("\(Self.configuration.commandName ?? "This command") is not available yet: it arrives with \(Self.plannedIn).")
        throw ExitCode(ExitStatus.usage.rawValue)
    }
}

struct ImportCommand: PlannedCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "(planned) Import contacts; --dry-run writes the diff report without writing.")
    static let plannedIn = "the plan and push stages (issues #5 and #6)"
    @Argument var files: [String] = []
}
