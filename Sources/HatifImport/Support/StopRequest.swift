import Synchronization

/// A run's request to stop cleanly: set by graceful shutdown (the first SIGINT or SIGTERM, through
/// swift-service-lifecycle) or by the caller's own condition, and asked before each request. Once it is
/// set no new request starts, the ones in flight finish, and the run stops after its last commit.
final class StopRequest: Sendable {
    private let requested = Atomic<Bool>(false)
    private let condition: @Sendable () -> Bool

    /// A request that is also set whenever `condition` says so.
    init(condition: @escaping @Sendable () -> Bool = { false }) { self.condition = condition }

    /// Asks the run to stop.
    func request() { requested.store(true, ordering: .relaxed) }

    /// Whether the run should stop.
    var isRequested: Bool { requested.load(ordering: .relaxed) || condition() }
}
