import AsyncHTTPClient
import NIOPosix

extension HTTPClient {
    /// Runs `body` with an HTTP client on one event loop of its own, then shuts both down: the setup under
    /// which ``HatifClient/callExecutor`` runs calls on the loop that does their I/O.
    public static func withOwnEventLoop<T: Sendable>(
        configuration: Configuration = Configuration(), _ body: (HTTPClient) async throws -> T
    ) async throws -> T {
        let loop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let httpClient = HTTPClient(eventLoopGroup: loop, configuration: configuration)
        do {
            let result = try await body(httpClient)
            try await httpClient.shutdown()
            try await loop.shutdownGracefully()
            return result
        } catch {
            try? await httpClient.shutdown()
            try? await loop.shutdownGracefully()
            throw error
        }
    }
}
