import ArgumentParser
import Foundation
import HatifAPI
import HatifSandbox

/// `hatif-import sandbox`: serves the sandbox API on a port for rehearsals.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Serve the Hatif API sandbox (in memory, with fault injection) for rehearsals.",
        discussion: """
            Admin endpoints (outside the contract): GET /_sandbox/stats, DELETE /_sandbox/stats, \
            GET /_sandbox/export, POST /_sandbox/load, POST /_sandbox/reset, POST /_sandbox/tokens/revoke, \
            GET and PUT /_sandbox/faults.
            """)

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0 picks a free one).") var port = 8080
    @Option(name: .customLong("client-id"), help: "The one client id accepted.") var clientID = "sandbox"
    @Option(name: .customLong("client-secret"), help: "The one client secret accepted (a sandbox secret, not a real one).")
    var clientSecret = "sandbox-secret"
    @Option(name: .customLong("token-lifetime"), help: "Token lifetime in seconds.") var tokenLifetime = 3600
    @Option(help: "Keep the data in this JSON file (loaded at start, saved while running).") var data: String?
    @Option(help: "Seed of every injected fault.") var seed: UInt64 = 1
    @Option(name: .customLong("latency-ms"), help: "Latency added to every API request, ms.") var latency = 0
    @Option(name: .customLong("jitter-ms"), help: "± jitter around the latency, ms.") var jitter = 0
    @Option(name: .customLong("rate-limit"), help: "Requests per second for all endpoints together; 0 turns the limit off.")
    var rateLimit: Double = 20
    @Option(help: "Burst of the rate limit.") var burst: Double = 40
    @Option(name: .customLong("error-500-rate"), help: "Share of requests answered 500 unprocessed, 0...1.") var error500Rate: Double = 0
    @Option(name: .customLong("error-503-rate"), help: "Share of requests answered 503 unprocessed, 0...1.") var error503Rate: Double = 0
    @Option(name: .customLong("error-429-rate"), help: "Share of requests answered 429 unprocessed, on top of the rate limit, 0...1.")
    var error429Rate: Double = 0
    @Option(name: .customLong("drop-rate"), help: "Share of requests processed, then answered by closing the connection.")
    var dropRate: Double = 0

    func validate() throws {
        for (name, rate) in [("--error-500-rate", error500Rate), ("--error-503-rate", error503Rate), ("--error-429-rate", error429Rate), ("--drop-rate", dropRate)]
        where !(0...1).contains(rate) {
            throw ValidationError("\(name) must be between 0 and 1.")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard tokenLifetime > 0 else { throw ValidationError("--token-lifetime must be positive.") }
    }

    func run() async throws {
        let configuration = SandboxConfiguration(
            host: host, port: port, clientID: clientID, clientSecret: Secret(clientSecret),
            tokenLifetime: .seconds(tokenLifetime),
            faults: FaultConfiguration(
                seed: seed, latencyMilliseconds: latency, jitterMilliseconds: jitter,
                rateLimit: rateLimit > 0 ? rateLimit : nil, burst: burst, error500Rate: error500Rate,
                error503Rate: error503Rate, error429Rate: error429Rate, dropRate: dropRate),
            dataFile: data.map { URL(fileURLWithPath: $0) })
        let server = SandboxServer(configuration: configuration)
        let host = self.host
        let clientID = self.clientID
        let clientSecret = self.clientSecret
        try await server.run(gracefulShutdownSignals: [.sigint, .sigterm]) { port in
            printLine("Hatif sandbox listening on http://\(host):\(port)")
            printLine("  token URL:     http://\(host):\(port)/connect/token")
            printLine("  client id:     \(clientID)")
            printLine("  client secret: \(clientSecret)   (sandbox credentials, not a real secret)")
            printLine("  admin:         http://\(host):\(port)/_sandbox/stats  (export, load, reset, faults)")
        }
    }
}
