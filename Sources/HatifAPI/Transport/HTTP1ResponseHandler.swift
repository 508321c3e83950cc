import NIOCore
import NIOHTTP1

/// The last handler of a pooled HTTP/1.1 connection: writes one request at a time and gathers its answer,
/// head and whole body, for ``HTTP1ConnectionPool``.
final class HTTP1ResponseHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    /// How a request ended: its answer, or why there is none; and whether the connection may carry another.
    typealias Completion = (Result<HTTP1ConnectionPool.Response, HatifHTTPTransport.Failure>, _ reusable: Bool) -> Void

    private let maxBodyBytes: Int
    private var context: ChannelHandlerContext?
    private var completion: Completion?
    private var head: HTTPResponseHead?
    private var body: ByteBuffer?
    /// Whether the whole request went out to the socket: until then, a failure means the server cannot have
    /// read all of it.
    private(set) var requestSent = false

    init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        finish(.failure(.connectionClosed(requestSent: requestSent)), reusable: false)
    }

    /// Writes a request; `completion` runs once, with its answer or its failure.
    func send(_ request: HTTPRequestHead, body: ByteBuffer?, completion: @escaping Completion) {
        guard let context, context.channel.isActive else {
            completion(.failure(.connectionClosed(requestSent: false)), false)
            return
        }
        self.completion = completion
        head = nil
        self.body = nil
        requestSent = false
        context.write(wrapOutboundOut(.head(request)), promise: nil)
        if let body, body.readableBytes > 0 { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.assumeIsolated().whenSuccess { self.requestSent = true }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard completion != nil else {
            // An answer to no request: the connection's state is unknown, so it goes.
            context.close(promise: nil)
            return
        }
        switch unwrapInboundIn(data) {
        case .head(let responseHead):
            head = responseHead
        case .body(var part):
            if body == nil {
                body = part
            } else {
                body?.writeBuffer(&part)
            }
            if let body, body.readableBytes > maxBodyBytes {
                finish(.failure(.responseBodyTooLarge(limit: maxBodyBytes)), reusable: false)
                context.close(promise: nil)
            }
        case .end:
            guard let head else {
                finish(.failure(.connection(reason: "an answer ended before its head", requestSent: requestSent)), reusable: false)
                context.close(promise: nil)
                return
            }
            // An answer that came before the whole request went out (a server refusing early) leaves the rest
            // of the request unread on the connection: never reuse it.
            let reusable = head.isKeepAlive && requestSent
            finish(.success(HTTP1ConnectionPool.Response(head: head, body: body)), reusable: reusable)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(.connectionClosed(requestSent: requestSent)), reusable: false)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(.connection(reason: "\(error)", requestSent: requestSent)), reusable: false)
        context.close(promise: nil)
    }

    private func finish(_ result: Result<HTTP1ConnectionPool.Response, HatifHTTPTransport.Failure>, reusable: Bool) {
        guard let completion else {
            // Bytes nobody asked for, or a failure between requests: the pool drops the connection when it closes.
            if case .failure = result { context?.close(promise: nil) }
            return
        }
        self.completion = nil
        head = nil
        body = nil
        completion(result, reusable)
    }
}
