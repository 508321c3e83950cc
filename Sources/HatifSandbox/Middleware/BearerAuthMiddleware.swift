import HTTPTypes
import OpenAPIRuntime

/// Refuses API requests without a valid bearer token (401); the token call itself is open.
struct BearerAuthMiddleware: ServerMiddleware {
    let tokens: SandboxTokenIssuer

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard operationID != "requestToken" else { return try await next(request, body, metadata) }
        guard let header = request.headerFields[.authorization], header.lowercased().hasPrefix("bearer "),
            await tokens.isValid(String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces))
        else {
            throw SandboxError.unauthorized
        }
        return try await next(request, body, metadata)
    }
}
