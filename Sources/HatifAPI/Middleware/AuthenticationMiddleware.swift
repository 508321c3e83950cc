import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Puts `Authorization: Bearer …` on every API request and, on a 401, renews the token once and repeats
/// the request once.
public struct AuthenticationMiddleware: ClientMiddleware {
    private let tokens: TokenProvider

    /// Creates the middleware over a token provider.
    public init(tokens: TokenProvider) { self.tokens = tokens }

    public func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard operationID != OAuthTokenClient.operationID else { return try await next(request, body, baseURL) }
        let body = try await BodyReplay.replayable(body)
        var request = request
        let token = try await tokens.token()
        request.headerFields[.authorization] = "Bearer \(token.value.revealed)"
        let (response, responseBody) = try await next(request, body, baseURL)
        guard response.status == .unauthorized else { return (response, responseBody) }
        if let responseBody { _ = try? await ArraySlice<UInt8>(collecting: responseBody, upTo: 1 << 20) }
        let fresh = try await tokens.token(replacing: token)
        request.headerFields[.authorization] = "Bearer \(fresh.value.revealed)"
        return try await next(request, body, baseURL)
    }
}
