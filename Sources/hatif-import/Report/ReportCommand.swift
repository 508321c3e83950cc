import ArgumentParser
import Foundation
import HatifAPI
import HatifImport

/// `hatif-import report serve DIR`: a local page over a plan or a run of any size.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Look at a plan or a run's report of any size.",
        subcommands: [ReportServeCommand.self])
}

/// `hatif-import report serve DIR [--port N] [--host H] [--redact]`.
struct ReportServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a local page over a report folder: every record, paged, filtered by action or outcome, searched by name, phone, e-mail or file:line.",
        discussion: """
            DIR is the --report folder of a dry run (plan.jsonl) or a run (results.jsonl). The first time, an index is \
            built beside it in DIR/report-index (once; again only when the file changes). The server listens on \
            127.0.0.1 unless --host says otherwise, prints its URL, and stops on Ctrl-C.
            """)

    @Argument(help: "The report folder.") var folder: String
    @Option(help: "Address to listen on (127.0.0.1: this machine only).") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port = 8088
    @Flag(help: "Mask names, phones and e-mails on the page; search then looks at file:line only.") var redact = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
    }

    func run() async throws {
        let started = ContinuousClock.now
        let index: ReportIndex
        do {
            index = try ReportIndex.open(folder: folder) { count in printError("Indexing \(folder): \(count) records…") }
        } catch {
            printError("error: \(error)")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        let description = index.description
        printError("Indexed \(description.records) records of \(folder)/\(description.source) in \(String(format: "%.1f", (ContinuousClock.now - started).seconds)) s.")
        let server = ReportServer(index: index, redact: redact)
        let host = self.host
        try await server.run(host: host, port: port) { port in
            printLine("Serving the report of \(folder) at http://\(host):\(port)/  (Ctrl-C stops)")
        }
    }
}
