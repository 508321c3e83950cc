import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import OpenAPIRuntime

/// The OpenAPI transport: HTTP/1.1 over SwiftNIO, with keep-alive connections (TLS for `https`) on one event
/// loop; each request body goes as one buffer and each answer comes back whole.
///
/// It replaced async-http-client, whose request and response paths were about two-fifths of an import's CPU
/// (225 µs a call against 97 through NIO's HTTP codec alone, Benchmarks' `CallCost`). The client's calls run
/// on the same loop (``EventLoopTaskExecutor``), so a call costs no thread hop. Reading the whole answer
/// here also makes a connection lost mid-body a transport error of this call, which the retry middleware sees.
/// It does not follow redirects, use proxies or speak HTTP/2: the API needs none.
public final class HatifHTTPTransport: ClientTransport, Sendable {
    /// The loop that owns the connections.
    public var eventLoop: any EventLoop { pool.eventLoop }
    /// How long one request may take, connection and answer included.
    public let timeout: TimeAmount
    /// Largest request body sent (the bulk vCard limit is 5 MiB) and largest response body read.
    public let maxBodyBytes: Int
    private let pool: HTTP1ConnectionPool
    /// Base URLs already split into an origin and a path.
    private let targets = NIOLockedValueBox<[String: Target]>([:])

    struct Target: Equatable, Sendable {
        var origin: HTTP1ConnectionPool.Origin
        var hostHeader: String
        var path: String
    }

    /// Creates a transport whose connections live on `eventLoop`, at most `maxConnections` per origin, each
    /// used again while idle for less than `idleTimeout`; `https` connections verify servers as `tls` says
    /// (default: the system's trust roots, HTTP/1.1 by ALPN).
    public init(
        eventLoop: any EventLoop, maxConnections: Int = 8, timeout: TimeAmount = .minutes(1),
        connectTimeout: TimeAmount = .seconds(10), idleTimeout: TimeAmount = .seconds(60), maxBodyBytes: Int = 64 << 20,
        tls: TLSConfiguration = .makeClientConfiguration()
    ) {
        self.timeout = timeout
        self.maxBodyBytes = maxBodyBytes
        pool = HTTP1ConnectionPool(
            eventLoop: eventLoop, maxConnectionsPerOrigin: maxConnections, connectTimeout: connectTimeout, idleTimeout: idleTimeout,
            maxBodyBytes: maxBodyBytes, tlsConfiguration: tls)
    }

    /// Runs `body` with a transport on one event loop of its own, then closes its connections and the loop:
    /// the setup under which ``HatifClient/callExecutor`` runs calls on the loop that does their I/O.
    public static func withOwnEventLoop<T: Sendable>(
        maxConnections: Int = 8, timeout: TimeAmount = .minutes(1), connectTimeout: TimeAmount = .seconds(10),
        idleTimeout: TimeAmount = .seconds(60), maxBodyBytes: Int = 64 << 20, _ body: (HatifHTTPTransport) async throws -> T
    ) async throws -> T {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let transport = HatifHTTPTransport(
            eventLoop: group.next(), maxConnections: maxConnections, timeout: timeout, connectTimeout: connectTimeout,
            idleTimeout: idleTimeout, maxBodyBytes: maxBodyBytes)
        do {
            let result = try await body(transport)
            await transport.shutdown()
            try await group.shutdownGracefully()
            return result
        } catch {
            await transport.shutdown()
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// Closes every connection; requests after this fail.
    public func shutdown() async {
        await pool.shutdown()
    }

    /// Why a request got no answer.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The request has no path, or the base URL is not `http` or `https` with a host.
        case invalidURL(path: String?, baseURL: String)
        /// The request body is larger than ``maxBodyBytes``; nothing was sent.
        case requestBodyTooLarge(limit: Int)
        /// No connection could be opened; nothing was sent.
        case connectFailed(host: String, port: Int, reason: String)
        /// The connection closed before the whole answer came.
        case connectionClosed(requestSent: Bool)
        /// The connection failed (TLS, a malformed answer, a reset) before the whole answer came.
        case connection(reason: String, requestSent: Bool)
        /// The answer's body is larger than ``maxBodyBytes``.
        case responseBodyTooLarge(limit: Int)
        /// No whole answer within the request's time.
        case timedOut(requestSent: Bool)
        /// The caller's task was cancelled.
        case cancelled
        /// The transport was shut down.
        case shutDown

        /// Whether the server cannot have read the whole request (no connection, or the request never all went
        /// out to the socket) and sending it again may go through: false for a request that can never go.
        public var requestWasNotDelivered: Bool {
            switch self {
            case .connectFailed: true
            case .connectionClosed(let sent), .connection(_, let sent), .timedOut(let sent): !sent
            case .invalidURL, .requestBodyTooLarge, .shutDown, .responseBodyTooLarge, .cancelled: false
            }
        }

        public var description: String {
            switch self {
            case .invalidURL(let path, let baseURL):
                "Cannot send a request to path \(path ?? "(none)") under \(baseURL): check the API URL (http or https, with a host)."
            case .requestBodyTooLarge(let limit):
                "A request body is larger than \(limit) bytes; nothing was sent."
            case .connectFailed(let host, let port, let reason):
                "Cannot connect to \(host):\(port) (\(reason)); nothing was sent: check the API URL and the network."
            case .connectionClosed(let sent):
                sent
                    ? "The server closed the connection before its whole answer came; whether it acted on the request is unknown."
                    : "The connection closed before the whole request went out; the server did not get it."
            case .connection(let reason, let sent):
                "The connection failed (\(reason)) "
                    + (sent ? "after the request went out; whether the server acted on it is unknown." : "before the whole request went out.")
            case .responseBodyTooLarge(let limit):
                "An answer's body is larger than \(limit) bytes; it was not read."
            case .timedOut(let sent):
                "No whole answer in time" + (sent ? "; whether the server acted on the request is unknown." : "; the request did not all go out.")
            case .cancelled:
                "The request was cancelled."
            case .shutDown:
                "The HTTP transport was shut down; nothing was sent."
            }
        }
    }

    public func send(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let deadline = NIODeadline.now() + timeout
        let target = try target(baseURL)
        guard let path = request.path, path.hasPrefix("/") else {
            throw Failure.invalidURL(path: request.path, baseURL: baseURL.absoluteString)
        }
        var headers = HTTPHeaders()
        headers.reserveCapacity(request.headerFields.count + 2)
        headers.add(name: "Host", value: target.hostHeader)
        for field in request.headerFields {
            switch field.name {
            case .contentLength, .transferEncoding, .connection: continue
            case _ where field.name.canonicalName == "host": continue
            default: headers.add(name: field.name.canonicalName, value: field.value)
            }
        }
        var bytes: ByteBuffer?
        if let body {
            var buffer = ByteBuffer()
            if case .known(let length) = body.length { buffer.reserveCapacity(Int(length)) }
            for try await chunk in body {
                guard buffer.readableBytes + chunk.count <= maxBodyBytes else {
                    throw Failure.requestBodyTooLarge(limit: maxBodyBytes)
                }
                buffer.writeBytes(chunk)
            }
            bytes = buffer
        }
        if bytes != nil || [.post, .put, .patch].contains(request.method) {
            headers.add(name: "Content-Length", value: String(bytes?.readableBytes ?? 0))
        }
        let head = HTTPRequestHead(
            version: .http1_1, method: NIOHTTP1.HTTPMethod(rawValue: request.method.rawValue), uri: target.path + path,
            headers: headers)
        let exchange = pool.execute(head, body: bytes, to: target.origin, deadline: deadline)
        let answer: HTTP1ConnectionPool.Response
        do {
            answer = try await withTaskCancellationHandler {
                try await exchange.futureResult.get()
            } onCancel: {
                pool.cancel(exchange)
            }
        } catch Failure.cancelled {
            throw CancellationError()
        }
        var fields = HTTPFields()
        fields.reserveCapacity(answer.head.headers.count)
        for (name, value) in answer.head.headers {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        let response = HTTPResponse(status: .init(code: Int(answer.head.status.code)), headerFields: fields)
        switch request.method {
        case .head, .connect, .trace:
            return (response, nil)
        default:
            return (response, HTTPBody(answer.body.map { ArraySlice($0.readableBytesView) } ?? []))
        }
    }

    private func target(_ baseURL: URL) throws -> Target {
        let key = baseURL.absoluteString
        if let known = targets.withLockedValue({ $0[key] }) { return known }
        let target = try Self.target(baseURL)
        targets.withLockedValue { $0[key] = target }
        return target
    }

    /// The origin, `Host` header and path prefix of `baseURL` (its query and fragment dropped).
    static func target(_ baseURL: URL) throws -> Target {
        guard let scheme = baseURL.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = baseURL.host(percentEncoded: false), !host.isEmpty
        else { throw Failure.invalidURL(path: nil, baseURL: baseURL.absoluteString) }
        let tls = scheme == "https"
        let port = baseURL.port ?? (tls ? 443 : 80)
        let bracketed = host.contains(":") ? "[\(host)]" : host
        var path = baseURL.path(percentEncoded: true)
        while path.hasSuffix("/") { path.removeLast() }
        return Target(
            origin: .init(tls: tls, host: host, port: port),
            hostHeader: baseURL.port == nil ? bracketed : "\(bracketed):\(port)", path: path)
    }
}
