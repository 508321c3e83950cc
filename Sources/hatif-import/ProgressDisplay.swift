import Foundation
import HatifImport
import Logging
import ServiceLifecycle

/// Shows a run's progress while it runs: a live bar on a terminal, else a log line every few seconds.
struct ProgressDisplay: Sendable {
    let onTerminal: Bool
    let every: Duration
    let logger: Logger

    /// Runs `body`, showing `progress` until it ends; says once when graceful shutdown begins.
    func showing<T: Sendable>(_ progress: RunProgress, _ body: () async throws -> T) async throws -> T {
        let (logger, onTerminal) = (self.logger, self.onTerminal)
        return try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await self.tick(progress) }
                do {
                    let result = try await body()
                    group.cancelAll()
                    await show(progress, final: true)
                    return result
                } catch {
                    group.cancelAll()
                    await show(progress, final: true)
                    throw error
                }
            }
        } onGracefulShutdown: {
            if onTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
            logger.notice("stopping: no new request is started; the ones in flight finish and the checkpoint is written (a second signal stops at once)")
        }
    }

    private func tick(_ progress: RunProgress) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: onTerminal ? .milliseconds(500) : every)
            if Task.isCancelled { return }
            await show(progress, final: false)
        }
    }

    private func show(_ progress: RunProgress, final: Bool) async {
        let snapshot = await progress.snapshot()
        if onTerminal {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + snapshot.line() + (final ? "\n" : "")).utf8))
        } else if !final {
            logger.notice(
                "progress",
                metadata: [
                    "percent": "\(Int(snapshot.fraction * 100))", "records": "\(snapshot.records)", "perSecond": "\(Int(snapshot.rate))",
                    "created": "\(snapshot.summary.create)", "updated": "\(snapshot.summary.update)",
                    "unchanged": "\(snapshot.summary.unchanged)", "rejected": "\(snapshot.summary.reject)", "failed": "\(snapshot.summary.failed)",
                ])
        }
    }
}
