import ArgumentParser
import Foundation
import HatifImport

/// `hatif-import`: moves contacts into Hatif.
@main
struct HatifImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hatif-import",
        abstract: "Move contacts from CSV, vCard and XML files into the Hatif (Voxa) contacts API.",
        discussion: """
            import talks to the API named by --api-url or HATIF_API_URL, or with --sandbox to an embedded sandbox; \
            with neither it refuses. demo uses the embedded sandbox when no API URL is set, and says so.
            \(ExitStatus.table)
            """,
        version: "0.1.0 (phone metadata: \(PhoneMetadata.current))",
        subcommands: [
            InspectCommand.self, SampleCommand.self, MappingCommand.self, ValidateCommand.self, ImportCommand.self,
            UndoCommand.self, RunsCommand.self, ReportCommand.self, ConfigCommand.self, SandboxCommand.self, DemoCommand.self,
        ]
    )

    /// Runs the command with the settings of its job file and environment (``JobConfiguration``), mapping
    /// argument and configuration errors to the documented usage code 2 (not sysexits' 64).
    static func main() async {
        var job: JobConfiguration?
        do {
            let arguments = Array(CommandLine.arguments.dropFirst())
            job = try await JobConfiguration.resolve(arguments: arguments, environment: ProcessInfo.processInfo.environment)
            for (name, suggestion) in job?.unknownVariables ?? [] {
                let hint = suggestion.map { " (did you mean \($0)?)" } ?? ""
                FileHandle.standardError.write(Data("warning: the environment variable \(name) sets no option\(hint); it is ignored.\n".utf8))
            }
            var command: any ParsableCommand
            do {
                command = try parseAsRoot(job?.arguments ?? arguments)
            } catch {
                throw job?.attributing(error) ?? error
            }
            do {
                if var asyncCommand = command as? any AsyncParsableCommand {
                    try await asyncCommand.run()
                } else {
                    try command.run()
                }
            } catch let error as ValidationError {
                throw job?.attributing(error) ?? error
            }
        } catch let error as JobConfigurationError {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            Foundation.exit(ExitStatus.usage.rawValue)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Foundation.exit(0)
            }
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            Foundation.exit(code == .validationFailure ? ExitStatus.usage.rawValue : code.rawValue)
        }
    }
}
