import Foundation
import HatifAPI
import HatifSandbox
import Logging

/// Where the importer's API calls go: the configured Voxa API, or an embedded sandbox started
/// in-process for the length of the command — only when asked for (`--sandbox`, or `demo`), never as a
/// silent fallback: a nightly job whose environment lost `HATIF_API_URL` must fail, not "succeed"
/// against a sandbox.
struct APIConnection: Sendable {
    /// What the command line and environment say about the API.
    struct Configuration: Sendable {
        /// `--api-url` / `HATIF_API_URL`.
        var apiURL: URL?
        /// Run against the embedded sandbox (`--sandbox`, or `demo` without an API URL). Default false.
        var sandbox = false
        /// `--token-url` / `HATIF_TOKEN_URL`; default `connect/token` under the API URL.
        var tokenURL: URL?
        /// `--client-id` / `HATIF_CLIENT_ID`.
        var clientID: String?
        /// `HATIF_CLIENT_SECRET` or the content of `--client-secret-file`.
        var clientSecret: Secret?
        /// When to repeat failed requests.
        var retry: RetryPolicy
        /// The client's ceiling on requests per second (`--max-rps`); nil for none. Default nil.
        var maxRequestsPerSecond: Double?
        /// HTTP/1.1 connections kept to the API: the requests that can be on the wire at once (set it to
        /// the run's `--concurrency`). Default 8.
        var maxConnections: Int

        /// Creates a configuration; every parameter defaults to "not set".
        init(
            apiURL: URL? = nil, tokenURL: URL? = nil, clientID: String? = nil, clientSecret: Secret? = nil,
            retry: RetryPolicy = RetryPolicy(), maxRequestsPerSecond: Double? = nil, maxConnections: Int = 8, sandbox: Bool = false
        ) {
            self.sandbox = sandbox
            self.maxConnections = max(1, maxConnections)
            self.maxRequestsPerSecond = maxRequestsPerSecond
            self.apiURL = apiURL
            self.tokenURL = tokenURL
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.retry = retry
        }
    }

    /// Which API a command talks to.
    enum Target: Sendable, CustomStringConvertible {
        /// The real (or an external) API.
        case remote(URL)
        /// A sandbox started inside this process.
        case embeddedSandbox(RunningSandbox)

        var description: String {
            switch self {
            case .remote(let url): "the Voxa API at \(url.absoluteString)"
            case .embeddedSandbox(let sandbox): "the embedded sandbox at \(sandbox.url.absoluteString)"
            }
        }
    }

    /// Runs `body` with a client for the configured API, or for the embedded sandbox when asked for;
    /// `announce` receives one line that says which (for the user's terminal). Throws
    /// ``ConnectionError`` before any request when neither is set, or when both are.
    static func with<T: Sendable>(
        _ configuration: Configuration, logger: Logger, announce: @Sendable (String) -> Void,
        _ body: (HatifClient, Target) async throws -> T
    ) async throws -> T {
        // One event loop of its own: the calls' async code runs there too (HatifClient.callExecutor).
        try await HatifHTTPTransport.withOwnEventLoop(maxConnections: configuration.maxConnections) { transport in
            try await withClient(configuration, transport: transport, logger: logger, announce: announce, body)
        }
    }

    private static func withClient<T: Sendable>(
        _ configuration: Configuration, transport: HatifHTTPTransport, logger: Logger, announce: @Sendable (String) -> Void,
        _ body: (HatifClient, Target) async throws -> T
    ) async throws -> T {
        if configuration.apiURL != nil, configuration.sandbox { throw ConnectionError.urlAndSandbox }
        if let apiURL = configuration.apiURL {
            guard let clientID = configuration.clientID, !clientID.isEmpty else { throw CredentialsError.missingClientID }
            guard let secret = configuration.clientSecret else { throw CredentialsError.missingClientSecret }
            let clientConfiguration = HatifClientConfiguration(
                apiURL: apiURL, tokenURL: configuration.tokenURL,
                credentials: ClientCredentials(clientID: clientID, clientSecret: secret), retry: configuration.retry,
                maxRequestsPerSecond: configuration.maxRequestsPerSecond)
            let client = HatifClient(configuration: clientConfiguration, transport: transport, logger: logger)
            return try await body(client, .remote(apiURL))
        }
        guard configuration.sandbox else {
            if configuration.clientID != nil || configuration.clientSecret != nil { throw ConnectionError.credentialsWithoutURL }
            throw ConnectionError.noAPIURL
        }
        var sandboxLogger = logger
        sandboxLogger[metadataKey: "component"] = "sandbox"
        return try await SandboxServer.withRunning(
            configuration: SandboxConfiguration(faults: .none), logger: sandboxLogger
        ) { sandbox in
            announce("Using the embedded sandbox at \(sandbox.url.absoluteString): nothing reaches Hatif.")
            var clientConfiguration = sandbox.clientConfiguration(retry: configuration.retry)
            clientConfiguration.maxRequestsPerSecond = configuration.maxRequestsPerSecond
            let client = HatifClient(configuration: clientConfiguration, transport: transport, logger: logger)
            return try await body(client, .embeddedSandbox(sandbox))
        }
    }
}

/// Why a command that talks to the API cannot start; nothing was sent.
enum ConnectionError: Error, Sendable, CustomStringConvertible {
    /// Neither an API URL nor `--sandbox`.
    case noAPIURL
    /// A client id or secret, but no API URL to use them with.
    case credentialsWithoutURL
    /// Both an API URL and `--sandbox`.
    case urlAndSandbox

    var description: String {
        switch self {
        case .noAPIURL:
            "No API URL: set --api-url or HATIF_API_URL to import into Hatif, or pass --sandbox to rehearse against the embedded sandbox. Nothing was imported."
        case .credentialsWithoutURL:
            "A client id or secret is set (--client-id, HATIF_CLIENT_ID, --client-secret-file or HATIF_CLIENT_SECRET) but no API URL: set --api-url or HATIF_API_URL. Nothing was imported."
        case .urlAndSandbox:
            "Both an API URL and --sandbox were given: choose one. Nothing was imported."
        }
    }
}
