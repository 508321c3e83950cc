import ArgumentParser
import Foundation

/// What a run tells the service around it: `--metrics-file` and `--notify`.
struct ServiceOptions: ParsableArguments {
    @Option(
        name: .customLong("metrics-file"),
        help: ArgumentHelp(
            "Write Prometheus text-format metrics here during the run and at its end (node_exporter's textfile collector).",
            valueName: "path"))
    var metricsFile: String?

    @Option(
        help: ArgumentHelp(
            "POST the JSON summary to this URL when the run ends (success, failure or interruption); never holds up the exit more than 10 s.",
            valueName: "url"))
    var notify: String?

    func validate() throws {
        if let notify {
            guard let url = URL(string: notify), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
                throw ValidationError("--notify must be an http(s) URL.")
            }
        }
    }
}
