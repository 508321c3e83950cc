import Foundation
import HatifTestSupport
import NIOCore
import NIOPosix
import Testing

@testable import HatifImport

@Suite("PostgreSQL run state: a session ended at any moment ends the run's queries")
struct PostgresStoreConnectionLossTests {
    /// Ends `body` after `limit`, whether or not `body` ends: a query that hangs must fail the test, not hold the
    /// suite. (The body's task is unstructured on purpose: a task group would wait for it.)
    private static func within<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async -> T) async -> T? {
        await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            let once = Once(continuation)
            Task { once.resume(with: await body()) }
            Task {
                try? await Task.sleep(for: limit)
                once.resume(with: nil)
            }
        }
    }

    @Test(
        "a session terminated at 200 moments between and during queries fails the query in flight or the next at once, as a lost connection; none waits forever",
        .enabled(if: StateBackend.available.contains(.postgres)))
    func terminatedAtAnyMoment() async throws {
        let folder = FileManager.default.temporaryDirectory
        let location = try await StateBackend.postgres.freshLocation(in: folder)
        guard case .postgres(let url) = location else { return }
        var lost = 0
        for round in 0..<200 {
            let store = try await PostgresStateStore.connect(url: url)
            let delay = Duration.microseconds((round * 7_919) % 12_000)
            let outcome: (error: (any Error)?, queries: Int)? = await Self.within(.seconds(20)) {
                await withTaskGroup(of: ((any Error)?, Int)?.self) { group in
                    group.addTask {
                        var queries = 0
                        do {
                            while true {
                                _ = try await store.runs(limit: 1)
                                queries += 1
                            }
                        } catch {
                            return (error, queries)
                        }
                    }
                    group.addTask {
                        try? await Task.sleep(for: delay)
                        _ = try? await StateBackend.terminateSessions(of: location)
                        return nil
                    }
                    var result: ((any Error)?, Int)?
                    for await finished in group where finished != nil { result = finished }
                    return result ?? (nil, 0)
                }
            }
            await store.close()
            guard let outcome else {
                Issue.record("round \(round): a query was still waiting 20 s after its session was terminated")
                return
            }
            guard case .connectionLost? = outcome.error as? StateError else {
                Issue.record("round \(round): \(String(describing: outcome.error))")
                return
            }
            lost += 1
        }
        #expect(lost == 200)
    }
}

/// A continuation resumed once, by the first of several callers.
private final class Once<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, Never>?

    init(_ continuation: CheckedContinuation<T, Never>) {
        self.continuation = continuation
    }

    func resume(with value: T) {
        lock.lock()
        let continuation = self.continuation
        self.continuation = nil
        lock.unlock()
        continuation?.resume(returning: value)
    }
}
