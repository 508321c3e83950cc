import Foundation
import HTTPTypes
import Logging
import OpenAPIRuntime

/// Repeats requests that failed for a passing reason, with exponential backoff, full jitter and
/// `Retry-After`, as its ``RetryPolicy`` allows.
public struct RetryMiddleware: ClientMiddleware {
    private let policy: RetryPolicy
    private let logger: Logger
    private let counter: RequestCounter?

    /// The failed attempt from which a transport error is logged as a warning.
    static let warnFromAttempt = 3

    /// Creates the middleware; `counter`, when given, counts the retries.
    public init(policy: RetryPolicy, logger: Logger, counter: RequestCounter? = nil) {
        self.policy = policy
        self.logger = logger
        self.counter = counter
    }

    /// What the transport said, without the OpenAPI runtime's wrapping (which repeats the whole request).
    static func cause(of error: any Error) -> any Error {
        (error as? ClientError)?.underlyingError ?? error
    }

    public func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let body = policy.maxAttempts > 1 ? try await BodyReplay.replayable(body) : body
        var generator = SystemRandomNumberGenerator()
        var attempt = 1
        while true {
            let retryAfter: Duration?
            do {
                let (response, streamedBody) = try await RequestCounter.$attempt.withValue(attempt) { try await next(request, body, baseURL) }
                // Read the whole answer here, so a connection lost mid-body is a transport error that this
                // loop can retry, not a decoding failure after it.
                let responseBody = try await BodyReplay.buffered(streamedBody)
                let status = response.status.code
                let wait = response.headerFields[.retryAfter].flatMap { RetryAfter.parse($0) }
                guard attempt < policy.maxAttempts, policy.shouldRetry(status: status, operationID: operationID) else {
                    return (response, responseBody)
                }
                logger.debug(
                    "Retrying after HTTP status",
                    metadata: ["operation": "\(operationID)", "status": "\(status)", "attempt": "\(attempt)"])
                retryAfter = wait
            } catch {
                if error is CancellationError || Task.isCancelled { throw error }
                // A middleware's error reaches here wrapped in ClientError: a failed token request among
                // them, which the token client has already retried as this policy allows.
                if Self.cause(of: error) is HatifAPIError { throw error }
                guard attempt < policy.maxAttempts, policy.shouldRetryTransportError(error, operationID: operationID) else {
                    throw error
                }
                // A call failing again and again is news (an API down, a wrong URL or port): from its third
                // failure on it is a warning, so a run that seems to stand still says why. Single failures of a
                // flaky network stay at debug.
                logger.log(
                    level: attempt >= Self.warnFromAttempt ? .warning : .debug,
                    "Retrying after transport error",
                    metadata: [
                        "operation": "\(operationID)", "error": "\(Self.cause(of: error))", "attempt": "\(attempt)",
                        "attempts": "\(policy.maxAttempts)",
                    ])
                retryAfter = nil
            }
            try await Task.sleep(for: policy.delay(afterAttempt: attempt, retryAfter: retryAfter, using: &generator))
            counter?.retried()
            attempt += 1
        }
    }
}
