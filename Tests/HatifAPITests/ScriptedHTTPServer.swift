import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// An HTTP/1.1 server on a free loopback port that answers each request as a script says: for the transport's
/// tests of keep-alive, early closes, cut answers and silence.
final class ScriptedHTTPServer: Sendable {
    enum Action: Sendable {
        /// An answer; `chunked` sends the body in chunks with no length, `close` closes the connection after it.
        case respond(status: Int = 200, body: String = "", chunked: Bool = false, close: Bool = false, delayMilliseconds: Int64 = 0)
        /// An answer that keeps the connection open, which the server then closes after `milliseconds`.
        case respondThenClose(afterMilliseconds: Int64)
        /// A head that promises `promised` bytes, then `body`, then the connection closes.
        case cutAnswer(promised: Int, body: String)
        /// The connection closes with no answer.
        case close
        /// No answer, ever.
        case silence
    }

    struct Received: Sendable {
        var head: HTTPRequestHead
        var body: String
        var connection: Int
        /// When its end was read.
        var at = NIODeadline.now()
    }

    let port: Int
    private let channel: any Channel
    private let state: NIOLockedValueBox<(connections: Int, received: [Received])>
    /// When each connection (by number, from 1) closed, from either side.
    private let closings: NIOLockedValueBox<[Int: NIODeadline]>

    /// How long connection `number` stayed open after its first request was read, once it has closed:
    /// timed on the server's event loop, which a test's busy task pool does not hold up.
    func openAfterRequest(connection number: Int) -> TimeAmount? {
        guard let closed = closings.withLockedValue({ $0[number] }), let request = received.first(where: { $0.connection == number }) else { return nil }
        return closed - request.at
    }

    /// Connections accepted so far.
    var connections: Int { state.withLockedValue { $0.connections } }
    /// Requests read so far, in order.
    var received: [Received] { state.withLockedValue { $0.received } }

    private init(
        channel: any Channel, state: NIOLockedValueBox<(connections: Int, received: [Received])>, closings: NIOLockedValueBox<[Int: NIODeadline]>
    ) {
        self.channel = channel
        self.state = state
        self.closings = closings
        port = channel.localAddress?.port ?? 0
    }

    /// Starts a server (TLS with `tls`) on `port`, or on `boundSocket` (a listening socket it takes over);
    /// `script` gets each request's index (from 0) and the request.
    static func start(
        port: Int = 0, boundSocket: Int32? = nil, tls: NIOSSLContext? = nil, _ script: @escaping @Sendable (Int, Received) -> Action
    ) async throws -> ScriptedHTTPServer {
        let state = NIOLockedValueBox<(connections: Int, received: [Received])>((0, []))
        let closings = NIOLockedValueBox<[Int: NIODeadline]>([:])
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                let number = state.withLockedValue { value -> Int in
                    value.connections += 1
                    return value.connections
                }
                do {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(connection: number, state: state, closings: closings, script: script))
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
        let channel =
            if let boundSocket {
                try await bootstrap.withBoundSocket(boundSocket).get()
            } else {
                try await bootstrap.bind(host: "127.0.0.1", port: port).get()
            }
        return ScriptedHTTPServer(channel: channel, state: state, closings: closings)
    }

    func stop() async {
        try? await channel.close()
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let connection: Int
        let state: NIOLockedValueBox<(connections: Int, received: [Received])>
        let closings: NIOLockedValueBox<[Int: NIODeadline]>
        let script: @Sendable (Int, Received) -> Action
        var head: HTTPRequestHead?
        var body = ByteBuffer()

        init(
            connection: Int, state: NIOLockedValueBox<(connections: Int, received: [Received])>, closings: NIOLockedValueBox<[Int: NIODeadline]>,
            script: @escaping @Sendable (Int, Received) -> Action
        ) {
            self.connection = connection
            self.state = state
            self.closings = closings
            self.script = script
        }

        func channelInactive(context: ChannelHandlerContext) {
            let number = connection
            closings.withLockedValue { $0[number] = .now() }
            context.fireChannelInactive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let requestHead):
                head = requestHead
                body.clear()
            case .body(var part):
                body.writeBuffer(&part)
            case .end:
                guard let head else { return }
                let request = Received(head: head, body: String(buffer: body), connection: connection)
                let index = state.withLockedValue { value -> Int in
                    value.received.append(request)
                    return value.received.count - 1
                }
                answer(script(index, request), context: context)
            }
        }

        private func answer(_ action: Action, context: ChannelHandlerContext) {
            switch action {
            case .respond(let status, let text, let chunked, let close, let delay) where delay > 0:
                context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(delay)) {
                    self.answer(.respond(status: status, body: text, chunked: chunked, close: close), context: context)
                }
            case .respondThenClose(let milliseconds):
                answer(.respond(body: "{}"), context: context)
                context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(milliseconds)) { context.close(promise: nil) }
            case .respond(let status, let text, let chunked, let close, _):
                var headers = HTTPHeaders([("Content-Type", "application/json")])
                if !chunked { headers.add(name: "Content-Length", value: String(text.utf8.count)) }
                if close { headers.add(name: "Connection", value: "close") }
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: headers))), promise: nil)
                if chunked {
                    for piece in text.split(separator: ",", omittingEmptySubsequences: false).enumerated().map({ $0.offset == 0 ? String($0.element) : "," + $0.element }) {
                        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: piece)))), promise: nil)
                    }
                } else if !text.isEmpty {
                    context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
                }
                let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
                if close { done.assumeIsolated().whenComplete { _ in context.close(promise: nil) } }
            case .cutAnswer(let promised, let text):
                let headers = HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", String(promised))])
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text))))).assumeIsolated().whenComplete { _ in
                    context.close(promise: nil)
                }
            case .close:
                context.close(promise: nil)
            case .silence:
                break
            }
        }
    }
}
