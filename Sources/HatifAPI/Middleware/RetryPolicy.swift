/// When and how long to wait before repeating a failed request.
///
/// Idempotent calls are repeated after transport errors and any status in `retryableStatuses`. Calls that
/// create (`nonIdempotentOperations`) are repeated only after statuses that promise the request was not
/// processed (`notProcessedStatuses`), and after transport errors that show the request never reached the
/// server whole (``TransportFailure/requestWasNotDelivered(_:)``); after another transport error or another 5xx
/// their outcome is unknown and is left to the caller, which must check before sending again.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included; 1 means never retry. Default 6.
    public var maxAttempts: Int
    /// The backoff ceiling of the first retry; it doubles each attempt. Default 250 ms.
    public var initialBackoff: Duration
    /// The largest backoff ceiling. Default 30 s.
    public var maxBackoff: Duration
    /// The longest `Retry-After` honoured; a longer one is cut to this. Default 120 s.
    public var maxRetryAfter: Duration
    /// Statuses worth repeating an idempotent call for. Default 408, 425, 429, 500, 502, 503, 504.
    public var retryableStatuses: Set<Int>
    /// Statuses that promise the request was not processed. Default 408, 425, 429, 503.
    public var notProcessedStatuses: Set<Int>
    /// Operation ids that create something and must not be repeated blindly.
    public var nonIdempotentOperations: Set<String>

    /// Creates a policy; every parameter has the documented default.
    public init(
        maxAttempts: Int = 6,
        initialBackoff: Duration = .milliseconds(250),
        maxBackoff: Duration = .seconds(30),
        maxRetryAfter: Duration = .seconds(120),
        retryableStatuses: Set<Int> = [408, 425, 429, 500, 502, 503, 504],
        notProcessedStatuses: Set<Int> = [408, 425, 429, 503],
        nonIdempotentOperations: Set<String> = ["createContact", "createContactProperty", "createBulkContactsVCards"]
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.maxRetryAfter = maxRetryAfter
        self.retryableStatuses = retryableStatuses
        self.notProcessedStatuses = notProcessedStatuses
        self.nonIdempotentOperations = nonIdempotentOperations
    }

    /// A policy that never retries.
    public static let never = RetryPolicy(maxAttempts: 1)

    /// Whether a response with `status` to `operationID` may be repeated.
    public func shouldRetry(status: Int, operationID: String) -> Bool {
        if nonIdempotentOperations.contains(operationID) { return notProcessedStatuses.contains(status) }
        return retryableStatuses.contains(status)
    }

    /// Whether `error`, thrown by the transport for `operationID`, may be repeated.
    public func shouldRetryTransportError(_ error: any Error, operationID: String) -> Bool {
        !nonIdempotentOperations.contains(operationID) || TransportFailure.requestWasNotDelivered(error)
    }

    /// The wait before attempt `attempt + 1` (`attempt` ≥ 1 failed already): full jitter over an exponential
    /// ceiling, and never less than the server's `Retry-After`.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration?, using generator: inout some RandomNumberGenerator)
        -> Duration
    {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(maxBackoff, initialBackoff * (1 << exponent))
        let ceilingMilliseconds = max(Int64(0), ceiling.milliseconds)
        let jittered = Duration.milliseconds(Int64.random(in: 0...ceilingMilliseconds, using: &generator))
        guard let retryAfter else { return jittered }
        return max(jittered, min(retryAfter, maxRetryAfter))
    }
}

extension Duration {
    /// The duration in whole milliseconds.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
