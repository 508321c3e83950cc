import Foundation
import HTTPTypes
import OpenAPIRuntime
import Synchronization

/// Counts the requests a client sends, every attempt of every operation (retries included, the token
/// call not), by operation id: what a run's summary reports as its requests by kind.
public final class RequestCounter: Sendable {
    /// One kind of answer: an operation and the HTTP status it got (`error` when no response came).
    public struct Answer: Hashable, Sendable {
        public var operation: String
        public var status: String
    }

    private let counts = Mutex<[String: Int]>([:])
    private let answerCounts = Mutex<[Answer: Int]>([:])
    private let retryCount = Mutex(0)

    /// Creates an empty counter.
    public init() {}

    /// The requests sent so far, by operation id (`createBulkContactsVCards`, `updateContact`, …).
    public var byOperation: [String: Int] { counts.withLock { $0 } }

    /// All requests sent so far.
    public var total: Int { counts.withLock { $0.values.reduce(0, +) } }

    /// The attempts answered so far, by operation and status.
    public var answers: [Answer: Int] { answerCounts.withLock { $0 } }

    /// Attempts that were retries of an earlier attempt.
    public var retries: Int { retryCount.withLock { $0 } }

    func count(_ operationID: String) { counts.withLock { $0[operationID, default: 0] += 1 } }

    func answered(_ operationID: String, status: Int?) {
        let answer = Answer(operation: operationID, status: status.map(String.init) ?? "error")
        answerCounts.withLock { $0[answer, default: 0] += 1 }
    }

    func retried() { retryCount.withLock { $0 += 1 } }
}

/// Counts each attempt as it goes to the transport.
struct RequestCountingMiddleware: ClientMiddleware {
    let counter: RequestCounter

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        counter.count(operationID)
        do {
            let (response, responseBody) = try await next(request, body, baseURL)
            counter.answered(operationID, status: response.status.code)
            return (response, responseBody)
        } catch {
            counter.answered(operationID, status: nil)
            throw error
        }
    }
}
