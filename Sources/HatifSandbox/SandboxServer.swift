import Foundation
import HTTPTypes
import HatifAPI
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import OpenAPIHummingbird
import OpenAPIRuntime
import ServiceLifecycle
import UnixSignals

/// The sandbox: the whole contract over real HTTP, in memory, with fault injection and an admin surface
/// under `/_sandbox/`.
public struct SandboxServer: Sendable {
    /// How this sandbox runs.
    public let configuration: SandboxConfiguration
    /// Request counts by operation and status.
    public let statistics: RequestStatistics
    let store: SandboxStore
    let tokens: SandboxTokenIssuer
    let faults: FaultInjector
    private let logger: Logger

    /// Creates a sandbox; nothing listens until ``run(onRunning:)``.
    public init(configuration: SandboxConfiguration = SandboxConfiguration(), logger: Logger = Logger(label: "hatif.sandbox")) {
        self.configuration = configuration
        self.logger = logger
        self.statistics = RequestStatistics()
        self.store = SandboxStore()
        self.tokens = SandboxTokenIssuer(
            clientID: configuration.clientID, clientSecret: configuration.clientSecret, lifetime: configuration.tokenLifetime)
        self.faults = FaultInjector(configuration: configuration.faults)
    }

    /// Serves until the task is cancelled or a graceful shutdown is triggered; `onRunning` gets the bound
    /// port once the server listens. With `gracefulShutdownSignals`, SIGINT/SIGTERM stop it cleanly.
    public func run(
        gracefulShutdownSignals: [UnixSignal] = [], onRunning: @escaping @Sendable (Int) async -> Void
    ) async throws {
        try await makeServiceGroup(gracefulShutdownSignals: gracefulShutdownSignals, onRunning: onRunning).run()
    }

    /// Starts the sandbox on a free port, runs `body` with it, and stops it gracefully.
    public static func withRunning<T: Sendable>(
        configuration: SandboxConfiguration = SandboxConfiguration(), logger: Logger = Logger(label: "hatif.sandbox"),
        _ body: (RunningSandbox) async throws -> T
    ) async throws -> T {
        let server = SandboxServer(configuration: configuration, logger: logger)
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        // Its own thread: the sandbox's connections and handlers run on one event loop of their own, so that
        // a process that keeps Swift's cooperative threads busy (the pipeline mapping on every core, a test
        // run's other tests) does not leave its requests waiting for a thread. In the full test suite on two
        // cores, an import that takes 4.5 s alone took 116–131 s against a sandbox on the shared threads.
        let loops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let executor = EventLoopTaskExecutor(loops.next())
        let services: ServiceGroup
        do {
            services = try await server.makeServiceGroup(gracefulShutdownSignals: [], eventLoopGroup: loops) { port in
                portContinuation.yield(port)
            }
        } catch {
            try? await loops.shutdownGracefully()
            throw error
        }
        do {
            let value = try await run(services, on: executor, server: server, ports: ports, portContinuation: portContinuation, body)
            try? await loops.shutdownGracefully()
            return value
        } catch {
            try? await loops.shutdownGracefully()
            throw error
        }
    }

    /// Runs `services` on `executor` and `body` beside them, then stops them gracefully.
    private static func run<T: Sendable>(
        _ services: ServiceGroup, on executor: EventLoopTaskExecutor, server: SandboxServer,
        ports: AsyncStream<Int>, portContinuation: AsyncStream<Int>.Continuation, _ body: (RunningSandbox) async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask(executorPreference: executor) {
                defer { portContinuation.finish() }
                try await services.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                try await group.next()
                throw SandboxStartError(host: server.configuration.host, port: server.configuration.port)
            }
            let running = RunningSandbox(server: server, host: server.configuration.host, port: port)
            let result: Result<T, any Error>
            do {
                result = .success(try await body(running))
            } catch {
                result = .failure(error)
            }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return try result.get()
        }
    }

    private func makeServiceGroup(
        gracefulShutdownSignals: [UnixSignal], eventLoopGroup: (any EventLoopGroup)? = nil, onRunning: @escaping @Sendable (Int) async -> Void
    ) async throws -> ServiceGroup {
        var services: [any Service] = [try makeApplication(eventLoopGroup: eventLoopGroup, onRunning: onRunning)]
        if let file = configuration.dataFile {
            let persistence = SandboxPersistence(file: file, store: store, logger: logger)
            try await persistence.load()
            services.append(persistence)
        }
        return ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: gracefulShutdownSignals, logger: logger))
    }

    func makeApplication(eventLoopGroup: (any EventLoopGroup)? = nil, onRunning: @escaping @Sendable (Int) async -> Void) throws
        -> some ApplicationProtocol
    {
        let router = Router()
        let api = SandboxAPI(store: store, tokens: tokens)
        try api.registerHandlers(
            on: router, serverURL: URL(string: "/")!, configuration: .hatif,
            middlewares: [
                RequestRecordingMiddleware(statistics: statistics), ErrorMappingMiddleware(), LengthRequiredMiddleware(),
                FaultInjectionMiddleware(faults: faults, statistics: statistics), BearerAuthMiddleware(tokens: tokens),
            ])
        SandboxAdminRoutes(server: self).register(on: router)
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "hatif-sandbox"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            eventLoopGroupProvider: eventLoopGroup.map { .shared($0) } ?? .singleton,
            logger: logger)
    }

    // MARK: Direct access for tests and the admin routes

    /// Everything in the workspace.
    public func export() async -> SandboxSnapshot { await store.snapshot() }

    /// Adds properties and contacts, keeping their ids and times.
    public func load(_ snapshot: SandboxSnapshot) async throws { try await store.load(snapshot) }

    /// Empties the workspace and the request counts.
    public func reset() async {
        await store.reset()
        await statistics.reset()
    }

    /// Revokes every token, so the next API call of every client gets 401.
    public func revokeTokens() async { await tokens.revokeAll() }

    /// Replaces the fault configuration (restarting its seed and rate limit).
    public func setFaults(_ faults: FaultConfiguration) async { await self.faults.update(faults) }

    /// The fault configuration in force.
    public func currentFaults() async -> FaultConfiguration { await faults.configuration }
}

/// A sandbox that is listening, with its URL.
public struct RunningSandbox: Sendable {
    /// The server, for direct access to its data and counts.
    public let server: SandboxServer
    /// The host it listens on.
    public let host: String
    /// The port it listens on.
    public let port: Int

    /// The API base URL, e.g. `http://127.0.0.1:51234`.
    public var url: URL { URL(string: "http://\(host):\(port)")! }
    /// The token URL.
    public var tokenURL: URL { url.appending(path: "connect/token") }

    /// A client configuration for this sandbox with its own credentials.
    public func clientConfiguration(retry: RetryPolicy = RetryPolicy()) -> HatifClientConfiguration {
        HatifClientConfiguration(
            apiURL: url, tokenURL: tokenURL,
            credentials: ClientCredentials(
                clientID: server.configuration.clientID, clientSecret: server.configuration.clientSecret),
            retry: retry)
    }
}

/// The sandbox did not start listening.
public struct SandboxStartError: Error, CustomStringConvertible {
    /// The host it tried.
    public var host: String
    /// The port it tried.
    public var port: Int

    public var description: String {
        "The sandbox could not listen on \(host):\(port). Is the port in use? Try another --port."
    }
}
