import NIOConcurrencyHelpers
import NIOCore

/// Runs the jobs of the tasks that prefer it on one event loop: the loop whose thread also reads and writes
/// the HTTP connections, so that a call's async code and its I/O share a thread.
///
/// Without it, each call hops between Swift's cooperative pool and the event loop's thread several times
/// (request out, response head, body, end), and each hop wakes a sleeping thread: on a 2-core machine that
/// was about a fifth of a run's CPU, in the kernel. Only I/O-bound work should prefer it: CPU-bound work on
/// the loop delays every connection's reads.
public final class EventLoopTaskExecutor: TaskExecutor, Sendable {
    /// The loop the jobs run on.
    public let eventLoop: any EventLoop

    /// Creates an executor for `eventLoop`.
    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// Waits `duration` on the loop's own timer, for tasks that run on it: `Task.sleep` would wait on a
    /// timer thread that then wakes the loop's thread. Throws `CancellationError` when the task is cancelled.
    public func sleep(for duration: Duration) async throws {
        let (seconds, attoseconds) = duration.components
        let delay = TimeAmount.nanoseconds(max(0, seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
        let scheduled = NIOLockedValueBox<Scheduled<Void>?>(nil)
        try await withTaskCancellationHandler {
            try Task.checkCancellation()
            let timer = eventLoop.scheduleTask(in: delay) {}
            scheduled.withLockedValue { $0 = timer }
            if Task.isCancelled { timer.cancel() }
            do {
                try await timer.futureResult.get()
            } catch EventLoopError.cancelled {
                throw CancellationError()
            }
        } onCancel: {
            scheduled.withLockedValue { $0?.cancel() }
        }
    }
}
