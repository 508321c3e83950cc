import ArgumentParser
import HatifImport

/// `hatif-import demo`: a short tour of the client against the API or the embedded sandbox.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a property and a few contacts through the API client and print the workspace.")

    @OptionGroup var api: APIOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = try logging.makeLogger()
        let connection = try api.connectionConfiguration()
        try await runReportingErrors {
            _ = try await APIConnection.with(connection, logger: logger, announce: printLine) { client, _ in
                try await SandboxDemo(client: client, output: printLine).run().count
            }
        }
    }
}
