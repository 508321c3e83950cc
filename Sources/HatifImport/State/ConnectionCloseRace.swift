import NIOConcurrencyHelpers
import NIOCore

/// Waits for a connection's operations, each of which ends at once when the connection closes, whether or
/// not the operation ever answers.
///
/// postgres-nio 1.33 can leave a query written to a connection the server is ending (`pg_terminate_backend`,
/// a restart) unanswered forever, and its wait ignores cancellation. Racing the query in a child task
/// against the connection's state is not enough: a task group waits for its children, so the run hung on
/// the one that never ends. Here nothing waits for the abandoned operation: the wait is on a promise of our
/// own, completed by the operation or by the close, whichever comes first.
final class ConnectionCloseRace: Sendable {
    private struct State {
        var isClosed = false
        var nextKey = 0
        var waiting: [Int: @Sendable () -> Void] = [:]
    }

    /// The connection's loop, where the promises waited on are made.
    private let eventLoop: any EventLoop
    private let state = NIOLockedValueBox(State())

    /// Watches `closeFuture`, the connection's channel's.
    init(closeFuture: EventLoopFuture<Void>) {
        eventLoop = closeFuture.eventLoop
        closeFuture.whenComplete { [weak self] _ in self?.closed() }
    }

    /// The value of the operation `start` begins, or nil when the connection closes first (or had closed,
    /// in which case `start` is not called).
    func value<Value: Sendable>(of start: () -> EventLoopFuture<Value>) async throws -> Value? {
        let answer = eventLoop.makePromise(of: Value?.self)
        // Registered before the operation starts, so that a close at any moment after ends the wait.
        let key: Int? = state.withLockedValue { state in
            guard !state.isClosed else { return nil }
            let key = state.nextKey
            state.nextKey += 1
            state.waiting[key] = { answer.succeed(nil) }
            return key
        }
        guard let key else {
            answer.succeed(nil)
            return nil
        }
        start().whenComplete { [state] result in
            _ = state.withLockedValue { $0.waiting.removeValue(forKey: key) }
            answer.completeWith(result.map { Optional.some($0) })
        }
        // The first of the two completions counts; NIO ignores the second.
        return try await answer.futureResult.get()
    }

    private func closed() {
        let waiting = state.withLockedValue { state -> [@Sendable () -> Void] in
            state.isClosed = true
            defer { state.waiting = [:] }
            return Array(state.waiting.values)
        }
        for end in waiting { end() }
    }
}
