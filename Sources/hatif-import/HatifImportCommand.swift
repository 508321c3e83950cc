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
            UndoCommand.self, RunsCommand.self, SandboxCommand.self, DemoCommand.self,
        ]
    )

    /// Runs the command, mapping argument errors to the documented usage code 2 (not sysexits' 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
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
