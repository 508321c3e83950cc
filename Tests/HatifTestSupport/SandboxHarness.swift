import HatifAPI
import HatifSandbox
import Logging

/// Starts an in-process sandbox on a free port and hands tests a client for it.
public enum SandboxHarness {
    /// Runs `body` with a running sandbox and a client for it; both stop afterwards.
    public static func withClient<T: Sendable>(
        _ configuration: SandboxConfiguration = SandboxConfiguration(faults: .none),
        retry: RetryPolicy = RetryPolicy(initialBackoff: .milliseconds(5), maxBackoff: .milliseconds(50)),
        logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
        _ body: (RunningSandbox, HatifClient) async throws -> T
    ) async throws -> T {
        // One event loop of its own, as the command line's client has: calls that prefer it run there.
        try await HatifHTTPTransport.withOwnEventLoop { transport in
            try await SandboxServer.withRunning(configuration: configuration, logger: logger) { sandbox in
                let client = HatifClient(
                    configuration: sandbox.clientConfiguration(retry: retry), transport: transport, logger: logger)
                return try await body(sandbox, client)
            }
        }
    }
}
