import Foundation
import HatifAPI
import HatifImport
import Prometheus

/// A run's metrics in Prometheus text format for node_exporter's textfile collector (`--metrics-file`),
/// written during the run and at its end. Each write goes whole into a temporary file that is renamed
/// over the last one, so the collector never reads half a file.
///
/// The gauges describe the latest run of the job (labels `command`, `source`, `mode`), and
/// `hatif_import_last_success_timestamp_seconds` the latest run that ended with exit 0: a failed run keeps
/// the time the previous file held, so an alert can fire on its age.
struct MetricsFile: Sendable {
    /// What the metrics say at one moment.
    struct Reading: Sendable {
        /// `run`, `dry-run`, `undo` or `undo-dry-run`.
        var mode: String
        var summary: PlanSummary
        var answers: [RequestCounter.Answer: Int] = [:]
        var retries = 0
        var rateLimitWaits = 0
        var rateLimitWaited: Duration = .zero
        var elapsed: Duration
        /// The exit status once the run ended; nil while it runs.
        var status: ExitStatus?

        /// A reading of `client`'s counters (none when there is no client yet).
        init(mode: String, summary: PlanSummary, client: HatifClient?, elapsed: Duration, status: ExitStatus?) async {
            self.mode = mode
            self.summary = summary
            self.elapsed = elapsed
            self.status = status
            guard let client else { return }
            answers = client.requests.answers
            retries = client.requests.retries
            if let limiter = client.limiter {
                rateLimitWaits = await limiter.waits
                rateLimitWaited = await limiter.waited
            }
        }
    }

    let path: String
    /// `import` or `undo`.
    let command: String
    /// The source's name (`--source`), or the input files' names.
    let source: String
    /// When the run started.
    let started: Date
    /// The last success the file held before this run, read once when the run starts.
    private let previousSuccess: Double?

    init(path: String, command: String, source: String, started: Date) {
        self.path = path
        self.command = command
        self.source = source
        self.started = started
        previousSuccess = Self.lastSuccess(inFile: path)
    }

    /// Writes `reading` in place of the file's last content.
    func write(_ reading: Reading, now: Date = Date()) throws {
        let registry = PrometheusCollectorRegistry()
        let base = [("command", command), ("source", source), ("mode", reading.mode)]
        func gauge(_ name: String, labels: [(String, String)], help: String) -> Gauge {
            registry.makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels)
        }
        let counts = RunSummary.counts(reading.summary, mode: reading.mode)
        for (name, count) in (counts.outcomes ?? [:]).sorted(by: { $0.key < $1.key }) {
            gauge("hatif_import_run_records", labels: base + [("outcome", name)], help: "Records of the latest run by outcome.")
                .set(to: Double(count))
        }
        for (name, count) in (counts.actions ?? [:]).sorted(by: { $0.key < $1.key }) {
            gauge("hatif_import_run_planned_records", labels: base + [("action", name)], help: "Records of the latest dry run by planned action.")
                .set(to: Double(count))
        }
        let answers = reading.answers.sorted { ($0.key.operation, $0.key.status) < ($1.key.operation, $1.key.status) }
        for (answer, count) in answers {
            gauge(
                "hatif_import_run_requests", labels: base + [("operation", answer.operation), ("status", answer.status)],
                help: "API requests of the latest run by operation and HTTP status (error: no response), every attempt."
            ).set(to: Double(count))
        }
        func gauge(_ name: String, _ help: String, _ value: Double) {
            gauge(name, labels: base, help: help).set(to: value)
        }
        gauge("hatif_import_run_retries", "Request attempts of the latest run that repeated a failed one.", Double(reading.retries))
        gauge("hatif_import_run_rate_limit_waits", "Requests of the latest run that waited for the --max-rps budget.", Double(reading.rateLimitWaits))
        gauge("hatif_import_run_rate_limit_wait_seconds", "Time the latest run's requests waited for the --max-rps budget, in all.", reading.rateLimitWaited.seconds)
        gauge("hatif_import_run_wall_seconds", "Wall time of the latest run so far.", reading.elapsed.seconds)
        gauge("hatif_import_run_start_timestamp_seconds", "When the latest run started (Unix time).", started.timeIntervalSince1970.rounded())
        gauge("hatif_import_run_running", "1 while the latest run runs, 0 once it ended.", reading.status == nil ? 1 : 0)
        if let status = reading.status {
            gauge("hatif_import_run_exit_code", "The exit code of the latest run (see hatif-import --help).", Double(status.rawValue))
        }
        let lastSuccess = reading.status == .success ? now.timeIntervalSince1970.rounded() : previousSuccess
        if let lastSuccess {
            gauge(
                "hatif_import_last_success_timestamp_seconds", labels: [("command", command), ("source", source)],
                help: "When a run of this job last ended with exit 0 (Unix time)."
            ).set(to: lastSuccess)
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appending(path: ".\(url.lastPathComponent).\(getpid()).tmp")
        try Data(registry.emitToBuffer()).write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSUnderlyingErrorKey: POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)])
        }
    }

    /// The last success a metrics file holds.
    private static func lastSuccess(inFile path: String) -> Double? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("hatif_import_last_success_timestamp_seconds") {
            if let value = line.split(separator: " ").last.flatMap({ Double($0) }) { return value }
        }
        return nil
    }
}
