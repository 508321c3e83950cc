/// A bearer token with the moment it stops being good.
public struct AccessToken: Sendable, Equatable, CustomStringConvertible {
    /// The token; prints as `<redacted>`.
    public var value: Secret
    /// When the server said it expires (monotonic clock).
    public var expiresAt: ContinuousClock.Instant
    /// When the provider renews it ahead of expiry.
    public var renewAt: ContinuousClock.Instant

    /// Creates a token that lives `lifetime` from `now`; renewal is due at 80% of the lifetime, at most
    /// one minute before expiry.
    public init(value: Secret, lifetime: Duration, now: ContinuousClock.Instant = .now) {
        self.value = value
        self.expiresAt = now.advanced(by: lifetime)
        let margin = min(.seconds(60), lifetime / 5)
        self.renewAt = expiresAt.advanced(by: .zero - margin)
    }

    public var description: String { "AccessToken(<redacted>, expires \(expiresAt))" }
}
