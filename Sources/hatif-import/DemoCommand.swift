import ArgumentParser
import HatifImport

/// `hatif-import demo`: imports every file of `samples/` into the API or the embedded sandbox.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Import every sample file (CSV, vCard, XML) into one workspace, writing a report for each.")

    @Option(help: "The folder holding the samples and their mappings.") var samples = "samples"
    @Option(help: "Where to write one report folder per import.") var report = "demo-report"
    @OptionGroup var api: APIOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = try logging.makeLogger()
        var connection = try api.connectionConfiguration()
        // The demo keeps the embedded sandbox when no API URL is set: it is a demonstration, never a job.
        connection.sandbox = connection.apiURL == nil
        let (samples, report) = (self.samples, self.report)
        try await runReportingErrors {
            _ = try await APIConnection.with(connection, logger: logger, announce: printLine) { client, _ in
                try await SamplesDemo(client: client, samples: samples, reports: report, output: printLine).run()
            }
        }
    }
}
