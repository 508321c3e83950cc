import Logging

/// Caches the access token, renews it before expiry, and lets one renewal run at a time.
///
/// However many requests wait for a token, at most one token call is in flight; the others await its
/// result. After a 401 a caller hands back the token that was refused: if a newer one exists already,
/// it gets that one instead of triggering another renewal.
public actor TokenProvider {
    /// Fetches a fresh token from the auth server.
    public typealias Fetch = @Sendable () async throws -> AccessToken

    private let fetch: Fetch
    private let logger: Logger
    private var current: AccessToken?
    private var renewal: Task<AccessToken, any Error>?

    /// How many token calls this provider has made.
    public private(set) var fetchCount = 0

    /// Creates a provider that gets tokens with `fetch`.
    public init(logger: Logger = Logger(label: "hatif.auth"), fetch: @escaping Fetch) {
        self.fetch = fetch
        self.logger = logger
    }

    /// A token good for now: the cached one, or a fresh one when none is cached or renewal is due.
    public func token() async throws -> AccessToken {
        if let current, ContinuousClock.now < current.renewAt { return current }
        return try await renew()
    }

    /// A token other than `rejected`, which the server refused with 401.
    public func token(replacing rejected: AccessToken) async throws -> AccessToken {
        if let current, current != rejected, ContinuousClock.now < current.expiresAt { return current }
        if current == rejected { current = nil }
        return try await renew()
    }

    /// Drops the cached token, so the next request fetches a new one.
    public func invalidate() { current = nil }

    private func renew() async throws -> AccessToken {
        if let renewal { return try await renewal.value }
        let fetch = self.fetch
        let task = Task { try await fetch() }
        renewal = task
        defer { renewal = nil }
        do {
            let token = try await task.value
            fetchCount += 1
            current = token
            logger.debug("Access token renewed", metadata: ["expires_in": "\(token.expiresAt - .now)"])
            return token
        } catch {
            logger.warning("Access token renewal failed", metadata: ["error": "\(error)"])
            throw error
        }
    }
}
