import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Set by the first SIGINT or SIGTERM; read by the run before each request.
private let stopRequested = Atomic<Bool>(false)

/// Turns the first SIGINT or SIGTERM into a request to stop cleanly: the run starts no new request,
/// lets the ones in flight finish, commits, and exits with the "interrupted" code. A second signal
/// ends the process at once (the checkpoint still holds the last commit).
public enum StopSignal {
    /// Installs the handlers.
    public static func install() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber) { number in
                stopRequested.store(true, ordering: .relaxed)
                signal(number, SIG_DFL)
            }
        }
    }

    /// Whether a stop was asked for.
    @Sendable public static func isRequested() -> Bool { stopRequested.load(ordering: .relaxed) }
}
