import HTTPTypes
import OpenAPIRuntime

/// Answers 411 to a bulk upload sent without `Content-Length` (chunked), as gateways in front of upload
/// endpoints often do: a client that knows the size of what it sends must say it.
struct LengthRequiredMiddleware: ServerMiddleware {
    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        if operationID == "createBulkContactsVCards", request.headerFields[.contentLength] == nil {
            throw SandboxError(
                status: .init(code: 411), code: "Request.LengthRequired",
                message: "The upload must carry Content-Length; chunked uploads are refused.")
        }
        return try await next(request, body, metadata)
    }
}
