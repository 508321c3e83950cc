import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Keep-alive HTTP/1.1 connections (TLS for `https`) to the origins a client talks to, all on one event
/// loop, one request at a time on each: what ``HatifHTTPTransport`` sends through.
///
/// All mutable state is touched on ``eventLoop`` only (every entry point hops there first), which is what
/// makes the class `Sendable`.
final class HTTP1ConnectionPool: @unchecked Sendable {
    /// Where connections go: scheme, host and port.
    struct Origin: Hashable, Sendable {
        var tls: Bool
        var host: String
        var port: Int
    }

    /// A whole answer.
    struct Response {
        var head: HTTPResponseHead
        var body: ByteBuffer?
    }

    /// The loop that owns every connection and all of the pool's state.
    let eventLoop: any EventLoop
    /// Connections at most per origin, open or opening.
    let maxConnectionsPerOrigin: Int
    /// How long opening a connection may take: a refused or failed attempt is tried again, with backoff, until
    /// this much time has passed since the first (which rides out a restart of the API), as async-http-client did.
    let connectTimeout: TimeAmount
    /// How long a connection may sit unused and still be used again: a longer-idle one is closed instead,
    /// since a NAT or load balancer may have dropped it without a word, and a request on it would wait for
    /// its deadline (async-http-client's default, 60 s).
    let idleTimeout: TimeAmount
    /// Largest answer body read.
    let maxBodyBytes: Int
    /// How `https` connections verify the server (the system's trust roots unless a test says otherwise).
    let tlsConfiguration: TLSConfiguration

    private var origins: [Origin: OriginState] = [:]
    private var connections: [ObjectIdentifier: Connection] = [:]
    private var tlsContext: NIOSSLContext?
    private var isShutDown = false

    private struct OriginState {
        var idle: [Connection] = []
        /// Connections open or opening.
        var open = 0
        /// Connections opening (their attempts included).
        var connecting = 0
        var waiting: [Exchange] = []
    }

    fileprivate final class Connection {
        let channel: any Channel
        let handler: HTTP1ResponseHandler
        let origin: Origin
        /// When it was last handed back to the pool.
        var idleSince = NIODeadline.now()
        init(channel: any Channel, handler: HTTP1ResponseHandler, origin: Origin) {
            self.channel = channel
            self.handler = handler
            self.origin = origin
        }
    }

    /// One request, from its call until its answer, failure, time-out or cancellation.
    final class Exchange: @unchecked Sendable {
        fileprivate let origin: Origin
        fileprivate let head: HTTPRequestHead
        fileprivate let body: ByteBuffer?
        fileprivate let promise: EventLoopPromise<Response>
        fileprivate var connection: Connection?
        fileprivate var timer: Scheduled<Void>?
        fileprivate var finished = false

        fileprivate init(origin: Origin, head: HTTPRequestHead, body: ByteBuffer?, promise: EventLoopPromise<Response>) {
            self.origin = origin
            self.head = head
            self.body = body
            self.promise = promise
        }

        /// The answer, or the request's ``HatifHTTPTransport/Failure``.
        var futureResult: EventLoopFuture<Response> { promise.futureResult }
    }

    init(
        eventLoop: any EventLoop, maxConnectionsPerOrigin: Int = 8, connectTimeout: TimeAmount = .seconds(10),
        idleTimeout: TimeAmount = .seconds(60), maxBodyBytes: Int, tlsConfiguration: TLSConfiguration = .makeClientConfiguration()
    ) {
        self.eventLoop = eventLoop
        self.idleTimeout = idleTimeout
        self.tlsConfiguration = tlsConfiguration
        self.maxConnectionsPerOrigin = max(1, maxConnectionsPerOrigin)
        self.connectTimeout = connectTimeout
        self.maxBodyBytes = maxBodyBytes
    }

    /// Starts `head` and `body` to `origin`; the exchange's future ends by `deadline` at the latest.
    func execute(_ head: HTTPRequestHead, body: ByteBuffer?, to origin: Origin, deadline: NIODeadline) -> Exchange {
        let exchange = Exchange(origin: origin, head: head, body: body, promise: eventLoop.makePromise())
        if eventLoop.inEventLoop {
            start(exchange, deadline: deadline)
        } else {
            eventLoop.execute { self.start(exchange, deadline: deadline) }
        }
        return exchange
    }

    /// Ends `exchange` with ``HatifHTTPTransport/Failure/cancelled`` (the transport throws `CancellationError` for
    /// it) unless it has ended; a request on the wire loses its connection.
    func cancel(_ exchange: Exchange) {
        eventLoop.execute { self.end(exchange, with: .cancelled) }
    }

    /// Closes every connection and fails what waits; calls after this fail.
    func shutdown() async {
        let closing: [EventLoopFuture<Void>] = (try? await eventLoop.submit {
            self.isShutDown = true
            for state in self.origins.values {
                for waiter in state.waiting { self.end(waiter, with: .shutDown) }
            }
            return self.connections.values.map { connection in
                connection.channel.close(promise: nil)
                return connection.channel.closeFuture
            }
        }.get()) ?? []
        for future in closing { try? await future.get() }
    }

    // MARK: On the loop

    private func start(_ exchange: Exchange, deadline: NIODeadline) {
        eventLoop.assertInEventLoop()
        guard !isShutDown else { return end(exchange, with: .shutDown) }
        exchange.timer = eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.end(exchange, with: .timedOut(requestSent: exchange.connection?.handler.requestSent ?? false))
        }
        var state = origins[exchange.origin] ?? OriginState()
        let now = NIODeadline.now()
        while let connection = state.idle.popLast() {
            guard connection.channel.isActive, now - connection.idleSince < idleTimeout else {
                connection.channel.close(promise: nil)
                continue
            }
            origins[exchange.origin] = state
            return send(exchange, on: connection)
        }
        state.waiting.append(exchange)
        let opens = reserveConnection(&state)
        origins[exchange.origin] = state
        if opens { connect(to: exchange.origin, since: .now(), attempt: 0) }
    }

    private func send(_ exchange: Exchange, on connection: Connection) {
        exchange.connection = connection
        connection.handler.send(exchange.head, body: exchange.body) { result, reusable in
            if !exchange.finished {
                exchange.finished = true
                exchange.timer?.cancel()
                switch result {
                case .success(let response): exchange.promise.succeed(response)
                case .failure(let failure): exchange.promise.fail(failure)
                }
            }
            if reusable {
                self.release(connection)
            } else {
                connection.channel.close(promise: nil)
            }
        }
    }

    /// Ends `exchange` early (time-out, cancellation, shutdown, no connection).
    private func end(_ exchange: Exchange, with failure: HatifHTTPTransport.Failure) {
        guard !exchange.finished else { return }
        exchange.finished = true
        exchange.timer?.cancel()
        if let connection = exchange.connection {
            connection.channel.close(promise: nil)
        } else {
            origins[exchange.origin]?.waiting.removeAll { $0 === exchange }
        }
        exchange.promise.fail(failure)
    }

    /// Hands a free connection to the first request waiting for its origin, or keeps it for the next.
    private func release(_ connection: Connection) {
        guard !isShutDown, connection.channel.isActive else { return connection.channel.close(promise: nil) }
        var state = origins[connection.origin] ?? OriginState()
        while !state.waiting.isEmpty {
            let next = state.waiting.removeFirst()
            guard !next.finished else { continue }
            origins[connection.origin] = state
            return send(next, on: connection)
        }
        connection.idleSince = .now()
        state.idle.append(connection)
        origins[connection.origin] = state
    }

    private func connect(to origin: Origin, since started: NIODeadline, attempt: Int) {
        let channel: EventLoopFuture<any Channel>
        do {
            let tls = origin.tls ? try tlsContextForClients() : nil
            let maxBodyBytes = self.maxBodyBytes
            channel = ClientBootstrap(group: eventLoop)
                .connectTimeout(connectTimeout)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    do {
                        let pipeline = channel.pipeline.syncOperations
                        if let tls {
                            let hostname = origin.host.isIPAddress ? nil : origin.host
                            try pipeline.addHandler(NIOSSLClientHandler(context: tls, serverHostname: hostname))
                        }
                        // NIO's outbound header check is left out: every field comes from an `HTTPField`, whose
                        // value HTTPTypes has already made legal (CR, LF and NUL become spaces; names are tokens),
                        // and `Host` from the parsed API URL. It cost each call a pass over every header.
                        try pipeline.addHTTPClientHandlers(enableOutboundHeaderValidation: false)
                        try pipeline.addHandler(HTTP1ResponseHandler(maxBodyBytes: maxBodyBytes))
                        return channel.eventLoop.makeSucceededVoidFuture()
                    } catch {
                        return channel.eventLoop.makeFailedFuture(error)
                    }
                }
                .connect(host: origin.host, port: origin.port)
        } catch {
            channel = eventLoop.makeFailedFuture(error)
        }
        channel.assumeIsolated().whenComplete { result in
            switch result {
            case .success(let channel):
                guard let handler = try? channel.pipeline.syncOperations.handler(type: HTTP1ResponseHandler.self) else {
                    channel.close(promise: nil)
                    return self.connectFailed(to: origin, reason: "the connection's pipeline is incomplete", since: started, attempt: attempt)
                }
                let connection = Connection(channel: channel, handler: handler, origin: origin)
                self.origins[origin]?.connecting -= 1
                self.connections[ObjectIdentifier(connection)] = connection
                channel.closeFuture.assumeIsolated().whenComplete { _ in self.closed(connection) }
                self.release(connection)
            case .failure(let error):
                self.connectFailed(to: origin, reason: "\(error)", since: started, attempt: attempt)
            }
        }
    }

    /// A connection could not be opened: while ``connectTimeout`` has not passed since the first attempt and
    /// requests wait, try again after a backoff (100 ms doubling to 1 s); then the first request waiting fails
    /// (nothing was sent), and the next waiting request, if any, starts its own attempts.
    private func connectFailed(to origin: Origin, reason: String, since started: NIODeadline, attempt: Int) {
        guard var state = origins[origin] else { return }
        let backoff = TimeAmount.milliseconds(min(1_000, 100 << min(attempt, 4)))
        let waiting = state.waiting.contains { !$0.finished }
        if waiting, !isShutDown, NIODeadline.now() + backoff < started + connectTimeout {
            eventLoop.assumeIsolated().scheduleTask(in: backoff) {
                self.connect(to: origin, since: started, attempt: attempt + 1)
            }
            return
        }
        state.open -= 1
        state.connecting -= 1
        state.waiting.removeAll { $0.finished }
        let first = state.waiting.isEmpty ? nil : state.waiting.removeFirst()
        let retries = reserveConnection(&state)
        origins[origin] = state
        if let first { end(first, with: .connectFailed(host: origin.host, port: origin.port, reason: reason)) }
        if retries { connect(to: origin, since: .now(), attempt: 0) }
    }

    /// Whether more requests wait for `state`'s origin than connections are opening for it, with room for
    /// one more connection; reserves it if so.
    private func reserveConnection(_ state: inout OriginState) -> Bool {
        guard !isShutDown, state.open < maxConnectionsPerOrigin, state.waiting.count(where: { !$0.finished }) > state.connecting else {
            return false
        }
        state.open += 1
        state.connecting += 1
        return true
    }

    private func closed(_ connection: Connection) {
        connections[ObjectIdentifier(connection)] = nil
        guard var state = origins[connection.origin] else { return }
        state.open -= 1
        state.idle.removeAll { $0 === connection }
        let reopens = reserveConnection(&state)
        origins[connection.origin] = state
        if reopens { connect(to: connection.origin, since: .now(), attempt: 0) }
    }

    private func tlsContextForClients() throws -> NIOSSLContext {
        if let tlsContext { return tlsContext }
        var configuration = tlsConfiguration
        configuration.applicationProtocols = ["http/1.1"]
        let context = try NIOSSLContext(configuration: configuration)
        tlsContext = context
        return context
    }
}

extension String {
    /// Whether the text is an IPv4 or IPv6 address (which TLS's server name indication must not carry).
    fileprivate var isIPAddress: Bool {
        (try? SocketAddress(ipAddress: self, port: 0)) != nil
    }
}
