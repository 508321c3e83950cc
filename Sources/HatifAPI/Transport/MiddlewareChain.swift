import Foundation
import HTTPTypes
import OpenAPIRuntime

/// The client's middlewares in front of its transport, for requests built by hand rather than by the
/// generated client (``HatifClient/updateContact(id:_:)``): each passes through every middleware, outermost
/// first, exactly as the generated client's do.
///
/// The OpenAPI runtime wraps what a middleware or the transport throws in `ClientError`; this chain does not.
/// The middlewares look through that wrapping (``RetryMiddleware/cause(of:)``,
/// ``TransportFailure/requestWasNotDelivered(_:)``), so they treat both alike.
struct MiddlewareChain: Sendable {
    let serverURL: URL
    let transport: any ClientTransport
    let middlewares: [any ClientMiddleware]

    /// Sends `request` through the middlewares and the transport.
    func send(_ request: HTTPRequest, body: HTTPBody?, operationID: String) async throws -> (HTTPResponse, HTTPBody?) {
        try await send(request, body: body, baseURL: serverURL, operationID: operationID, from: middlewares[...])
    }

    private func send(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String, from rest: ArraySlice<any ClientMiddleware>
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard let middleware = rest.first else {
            return try await transport.send(request, body: body, baseURL: baseURL, operationID: operationID)
        }
        return try await middleware.intercept(request, body: body, baseURL: baseURL, operationID: operationID) { request, body, url in
            try await send(request, body: body, baseURL: url, operationID: operationID, from: rest.dropFirst())
        }
    }
}
