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
    private let firstAttempts = Mutex<[String: Int]>([:])
    private let recoveryCount = Mutex(0)
    private let latency = Mutex<(count: Int, total: Duration)>((0, .zero))

    /// The attempt a request is on (1 for the first), set by ``RetryMiddleware`` around each attempt.
    @TaskLocal static var attempt = 1
    /// True while the caller recovers from a fault (finding what a bulk call of unknown outcome made,
    /// sending its cards again): such requests are counted apart from the ones a run plans.
    @TaskLocal public static var recovering = false
    /// True while a run plans (lists properties, looks keys up): the reads a dry run makes too.
    @TaskLocal public static var lookingUp = false
    private let lookupCount = Mutex(0)

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

    /// First attempts made while recovering from a fault (``recovering``), not planned by a run.
    public var recoveries: Int { recoveryCount.withLock { $0 } }

    /// First attempts made outside a recovery, by operation id: the requests a run plans, which its
    /// sizing estimate predicts.
    public var plannedByOperation: [String: Int] { firstAttempts.withLock { $0 } }

    /// First attempts made while planning (``lookingUp``).
    public var lookups: Int { lookupCount.withLock { $0 } }

    /// The mean time from sending an attempt to its answer (or its failure); nil before any.
    public var meanLatency: Duration? {
        latency.withLock { $0.count == 0 ? nil : $0.total / $0.count }
    }

    func count(_ operationID: String) {
        counts.withLock { $0[operationID, default: 0] += 1 }
        guard Self.attempt == 1 else { return }
        if Self.recovering {
            recoveryCount.withLock { $0 += 1 }
        } else {
            firstAttempts.withLock { $0[operationID, default: 0] += 1 }
            if Self.lookingUp { lookupCount.withLock { $0 += 1 } }
        }
    }

    func answered(_ operationID: String, status: Int?, after duration: Duration) {
        let answer = Answer(operation: operationID, status: status.map(String.init) ?? "error")
        answerCounts.withLock { $0[answer, default: 0] += 1 }
        latency.withLock {
            $0.count += 1
            $0.total += duration
        }
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
        let clock = ContinuousClock()
        let sent = clock.now
        do {
            let (response, responseBody) = try await next(request, body, baseURL)
            counter.answered(operationID, status: response.status.code, after: clock.now - sent)
            return (response, responseBody)
        } catch {
            counter.answered(operationID, status: nil, after: clock.now - sent)
            throw error
        }
    }
}
