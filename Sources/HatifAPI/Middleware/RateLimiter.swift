/// The client's request budget, shared by every request of a run: a token bucket whose rate backs off
/// when the server says 429 (halved, and paused for `Retry-After`) and creeps back up while requests
/// succeed (additive increase, multiplicative decrease).
public actor RateLimiter {
    /// The ceiling, requests per second.
    public let maxRate: Double
    /// The floor the rate never drops below.
    public let minRate: Double
    /// The rate in force.
    public private(set) var rate: Double
    private var bucket: TokenBucket
    private var pausedUntil: ContinuousClock.Instant?
    private var successesSinceChange = 0

    /// Creates a limiter at `maxRate` requests per second with `burst` requests of headroom.
    public init(maxRate: Double, burst: Double? = nil, minRate: Double = 0.5) {
        let ceiling = max(maxRate, minRate)
        self.maxRate = ceiling
        self.minRate = minRate
        self.rate = ceiling
        self.bucket = TokenBucket(rate: ceiling, burst: burst ?? max(1, ceiling))
    }

    /// Waits until a request may go.
    public func acquire() async throws {
        let now = ContinuousClock.now
        var wait = bucket.reserve(now: now)
        if let pausedUntil, pausedUntil > now { wait = max(wait, pausedUntil - now) }
        if wait > .zero { try await Task.sleep(for: wait) }
    }

    /// The server refused with 429 (or 503): halve the rate and pause for `retryAfter`.
    public func throttled(retryAfter: Duration?) {
        rate = max(minRate, rate / 2)
        bucket.rate = rate
        successesSinceChange = 0
        if let retryAfter {
            let until = ContinuousClock.now.advanced(by: retryAfter)
            pausedUntil = max(pausedUntil ?? until, until)
        }
    }

    /// A request went through: after a rate's worth of successes, raise the rate by one request a second.
    public func succeeded() {
        guard rate < maxRate else { return }
        successesSinceChange += 1
        if Double(successesSinceChange) >= rate {
            rate = min(maxRate, rate + 1)
            bucket.rate = rate
            successesSinceChange = 0
        }
    }
}
