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
}
