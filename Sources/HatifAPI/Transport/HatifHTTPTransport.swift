import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import OpenAPIRuntime

/// The OpenAPI transport over async-http-client: sends each request body as one buffer and hands back the
/// whole response body.
///
/// swift-openapi-async-http-client's transport streams every request body through async-http-client's
/// async API, which starts a task per request (two with the body stream), hops threads for each part of the
/// request and the answer, and parses the URL with `URLComponents`. This one sends through the
/// event-loop-future API with the body in one buffer (the bodies are in memory already: JSON, or a bulk
/// file the retry middleware holds for a repeat) and the answer gathered on the event loop, so a call costs
/// one hop back to its task, none when the task runs on the loop (``EventLoopTaskExecutor``). Reading the
/// whole answer here also makes a connection lost mid-body a transport error of this call, which the retry
/// middleware sees.
public struct HatifHTTPTransport: ClientTransport {
    /// The client that sends.
    public let client: HTTPClient
    /// How long one request may take, answer included.
    public let timeout: TimeAmount
    /// Largest request body sent (the bulk vCard limit is 5 MiB) and largest response body read.
    public let maxBodyBytes: Int

    /// Creates a transport over `client`; `timeout` bounds each request, answer included.
    public init(client: HTTPClient, timeout: TimeAmount = .minutes(1), maxBodyBytes: Int = 64 << 20) {
        self.client = client
        self.timeout = timeout
        self.maxBodyBytes = maxBodyBytes
    }

    /// A request this transport cannot send.
    public enum Failure: Error, CustomStringConvertible {
        /// The request has no path, or it cannot be joined to the base URL.
        case invalidURL(path: String?, baseURL: String)
        /// The request body is larger than ``maxBodyBytes``; nothing was sent.
        case requestBodyTooLarge(limit: Int)

        public var description: String {
            switch self {
            case .invalidURL(let path, let baseURL):
                "Cannot send a request to path \(path ?? "(none)") under \(baseURL): check the API URL."
            case .requestBodyTooLarge(let limit):
                "A request body is larger than \(limit) bytes; nothing was sent."
            }
        }
    }

    public func send(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let deadline = NIODeadline.now() + timeout
        var headers = HTTPHeaders()
        headers.reserveCapacity(request.headerFields.count)
        for field in request.headerFields {
            headers.add(name: field.name.canonicalName, value: field.value)
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
        let outgoing = try HTTPClient.Request(
            url: try Self.url(request.path, under: baseURL), method: HTTPMethod(rawValue: request.method.rawValue),
            headers: headers, body: bytes.map { .byteBuffer($0) })
        let task = client.execute(
            request: outgoing, delegate: ResponseAccumulator(request: outgoing, maxBodySize: maxBodyBytes), deadline: deadline)
        let response: HTTPClient.Response
        do {
            response = try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
        } catch let error as HTTPClientError where error == .cancelled && Task.isCancelled {
            // The caller's cancellation, not a failure of the request.
            throw CancellationError()
        }
        var fields = HTTPFields()
        fields.reserveCapacity(response.headers.count)
        for (name, value) in response.headers {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        let answer = HTTPResponse(status: .init(code: Int(response.status.code)), headerFields: fields)
        switch request.method {
        case .head, .connect, .trace:
            return (answer, nil)
        default:
            return (answer, HTTPBody(response.body.map { ArraySlice($0.readableBytesView) } ?? []))
        }
    }

    /// The base URL with the request's path and query after it, as swift-openapi-async-http-client joins them
    /// (the generated client's path is percent-encoded already).
    static func url(_ path: String?, under baseURL: URL) throws -> String {
        guard let path, path.hasPrefix("/") else { throw Failure.invalidURL(path: path, baseURL: baseURL.absoluteString) }
        var base = baseURL.absoluteString
        if let query = base.firstIndex(where: { $0 == "?" || $0 == "#" }) { base = String(base[..<query]) }
        return base + path
    }
}
