import Foundation
import HatifAPI

/// How a sandbox runs: where it listens, whom it accepts, what it injects and where it keeps its data.
public struct SandboxConfiguration: Sendable {
    /// The host to bind. Default `127.0.0.1`.
    public var host: String
    /// The port to bind; 0 picks a free one. Default 0.
    public var port: Int
    /// The one client id accepted. Default `sandbox`.
    public var clientID: String
    /// The one client secret accepted. Default `sandbox-secret`.
    public var clientSecret: Secret
    /// How long issued tokens live. Default 3600 s.
    public var tokenLifetime: Duration
    /// Injected faults and the rate limit. Default: the contract's 20 req/s, burst 40, nothing else.
    public var faults: FaultConfiguration
    /// A JSON file the data is loaded from at start and saved to while running; nil keeps it in memory.
    public var dataFile: URL?

    /// Creates a configuration; every parameter has the documented default.
    public init(
        host: String = "127.0.0.1", port: Int = 0, clientID: String = "sandbox",
        clientSecret: Secret = Secret("sandbox-secret"), tokenLifetime: Duration = .seconds(3600),
        faults: FaultConfiguration = FaultConfiguration(), dataFile: URL? = nil
    ) {
        self.host = host
        self.port = port
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.tokenLifetime = tokenLifetime
        self.faults = faults
        self.dataFile = dataFile
    }
}
