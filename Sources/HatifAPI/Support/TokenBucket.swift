/// A token bucket: `rate` tokens a second, holding at most `burst`.
///
/// A value type with no clock of its own: callers pass the time, so one bucket serves the sandbox's rate
/// limit and the client's, and tests can drive it with any clock.
public struct TokenBucket: Sendable {
    /// Tokens added per second.
    public var rate: Double
    /// The most tokens the bucket holds.
    public var burst: Double
    private var tokens: Double
    private var last: ContinuousClock.Instant?

    /// Creates a full bucket.
    public init(rate: Double, burst: Double) {
        self.rate = max(rate, 0.001)
        self.burst = max(burst, 1)
        self.tokens = self.burst
    }

    /// Takes one token if there is one and returns nil; otherwise takes nothing and returns how long until
    /// one is there.
    public mutating func take(now: ContinuousClock.Instant) -> Duration? {
        refill(now: now)
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        return .milliseconds(Int64(((1 - tokens) / rate * 1000).rounded(.up)))
    }

    /// Reserves one token, going into debt if needed, and returns how long the caller must wait for it.
    public mutating func reserve(now: ContinuousClock.Instant) -> Duration {
        refill(now: now)
        tokens -= 1
        if tokens >= 0 { return .zero }
        return .milliseconds(Int64((-tokens / rate * 1000).rounded(.up)))
    }

    private mutating func refill(now: ContinuousClock.Instant) {
        if let last {
            let elapsed = now - last
            tokens = min(burst, tokens + max(0, elapsed.seconds) * rate)
        }
        last = now
    }
}
