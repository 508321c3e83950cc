import Foundation
import HTTPTypes
import OpenAPIRuntime
import Synchronization

/// Counts the requests a client sends, every attempt of every operation (retries included, the token
/// call not), by operation id: what a run's summary reports as its requests by kind.
public final class RequestCounter: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    /// Creates an empty counter.
    public init() {}

    /// The requests sent so far, by operation id (`createBulkContactsVCards`, `updateContact`, …).
    public var byOperation: [String: Int] { counts.withLock { $0 } }

    /// All requests sent so far.
    public var total: Int { counts.withLock { $0.values.reduce(0, +) } }

    func count(_ operationID: String) { counts.withLock { $0[operationID, default: 0] += 1 } }
}

/// Counts each attempt as it goes to the transport.
struct RequestCountingMiddleware: ClientMiddleware {
    let counter: RequestCounter

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        counter.count(operationID)
        return try await next(request, body, baseURL)
    }
}
