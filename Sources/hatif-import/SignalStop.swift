import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

/// Runs a command's work as the one service of a `ServiceGroup`: the first SIGINT or SIGTERM starts
/// graceful shutdown (a run starts no new request, lets the ones in flight finish, commits and stops),
/// the second cancels the work (a run stops at once; its checkpoint still names what was in flight).
enum SignalStop {
    /// The result of `body`, run under those rules.
    static func run<T: Sendable>(logger: Logger, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let outcome = Mutex<Result<T, any Error>?>(nil)
        let service = ClosureService {
            let result: Result<T, any Error>
            do {
                result = .success(try await untilSecondSignal(body))
            } catch {
                result = .failure(error)
            }
            outcome.withLock { $0 = result }
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigint, .sigterm], logger: logger))
        do {
            try await group.run()
        } catch {
            // The group reports its one service ending as unexpected; the work's own outcome is what counts.
            guard outcome.withLock({ $0 }) != nil else { throw error }
        }
        guard let result = outcome.withLock({ $0 }) else { throw CancellationError() }
        return try result.get()
    }

    /// `body`'s result, or CancellationError once a second SIGINT or SIGTERM came (the first one is the
    /// service group's, for graceful shutdown).
    private static func untilSecondSignal<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                var seen = 0
                for await _ in signals {
                    seen += 1
                    if seen >= 2 { break }
                }
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw CancellationError() }
            return value
        }
    }
}
