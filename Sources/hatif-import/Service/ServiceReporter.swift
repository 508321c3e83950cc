import Foundation
import HatifAPI
import HatifImport
import Logging

/// What a run tells the service around it: the metrics file every ``every`` while it runs and once at
/// its end, then the webhook. Neither ever changes the run's exit code; a failure to write or send is
/// logged.
struct ServiceReporter: Sendable {
    let metrics: MetricsFile?
    let notifier: RunNotifier?
    var every: Duration = .seconds(15)
    let logger: Logger

    init(options: ServiceOptions, command: String, source: String, logger: Logger) {
        metrics = options.metricsFile.map { MetricsFile(path: $0, command: command, source: source, started: Date()) }
        notifier = options.notify.flatMap(URL.init(string:)).map { RunNotifier(url: $0) }
        self.logger = logger
    }

    /// Runs `body`, writing the metrics file from `reading` until it returns or throws.
    func during<T: Sendable>(_ reading: @escaping @Sendable () async -> MetricsFile.Reading, _ body: () async throws -> T) async throws -> T {
        guard let metrics else { return try await body() }
        let (every, logger) = (self.every, self.logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    let now = await reading()
                    if Task.isCancelled { return }
                    Self.write(metrics, now, logger: logger)
                    try? await Task.sleep(for: every)
                }
            }
            do {
                let result = try await body()
                group.cancelAll()
                try? await group.waitForAll()
                return result
            } catch {
                group.cancelAll()
                try? await group.waitForAll()
                throw error
            }
        }
    }

    /// The run ended: the final metrics, then the webhook with the JSON summary.
    func finished(_ reading: MetricsFile.Reading, summary: RunSummary) async {
        if let metrics { Self.write(metrics, reading, logger: logger) }
        if let notifier { await notifier.send(summary.json, logger: logger) }
    }

    private static func write(_ metrics: MetricsFile, _ reading: MetricsFile.Reading, logger: Logger) {
        do {
            try metrics.write(reading)
        } catch {
            logger.warning("could not write the metrics file", metadata: ["path": "\(metrics.path)", "error": "\(error)"])
        }
    }
}
