import Foundation

/// Where the Voxa API is and how to talk to it. How long one request may take is the transport's
/// (``HatifHTTPTransport/timeout``, default one minute), which all of its clients share.
public struct HatifClientConfiguration: Sendable {
    /// The API base URL, e.g. `https://api.voxa.sa`.
    public var apiURL: URL
    /// The full OAuth token URL, e.g. `https://auth.example/connect/token`.
    public var tokenURL: URL
    /// The service account.
    public var credentials: ClientCredentials
    /// When to repeat failed requests. Default ``RetryPolicy/init(maxAttempts:initialBackoff:maxBackoff:maxRetryAfter:retryableStatuses:notProcessedStatuses:nonIdempotentOperations:)``.
    public var retry: RetryPolicy
    /// The client's own ceiling on requests per second, shared by every request; nil for none. Default nil.
    public var maxRequestsPerSecond: Double?

    /// Creates a configuration; `tokenURL` defaults to `connect/token` under `apiURL`.
    public init(
        apiURL: URL, tokenURL: URL? = nil, credentials: ClientCredentials, retry: RetryPolicy = RetryPolicy(),
        maxRequestsPerSecond: Double? = nil
    ) {
        self.maxRequestsPerSecond = maxRequestsPerSecond
        self.apiURL = apiURL
        self.tokenURL = tokenURL ?? apiURL.appending(path: "connect/token")
        self.credentials = credentials
        self.retry = retry
    }
}
