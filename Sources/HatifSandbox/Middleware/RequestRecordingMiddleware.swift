import HTTPTypes
import HatifAPI
import OpenAPIRuntime

/// Gives every answer an `X-Request-Id` and counts it by operation and status.
struct RequestRecordingMiddleware: ServerMiddleware {
    let statistics: RequestStatistics

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let requestID = await statistics.nextRequestID()
        var (response, responseBody) = try await next(request, body, metadata)
        response.headerFields[.requestID] = requestID
        await statistics.record(operation: operationID, status: response.status.code)
        return (response, responseBody)
    }
}
