import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Turns every error status into a thrown ``HatifAPIError`` with the decoded error body, so the generated
/// client only ever decodes success bodies and callers get one error type for every operation.
public struct ErrorResponseMiddleware: ClientMiddleware {
    /// Largest error body read.
    static let maxErrorBodyBytes = 1 << 20

    /// Creates the middleware.
    public init() {}

    public func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let (response, responseBody) = try await next(request, body, baseURL)
        guard response.status.code >= 400 else { return (response, responseBody) }
        var data = Data()
        if let responseBody {
            data = (try? await Data(collecting: responseBody, upTo: Self.maxErrorBodyBytes)) ?? Data()
        }
        throw HatifAPIError.response(Self.details(operationID: operationID, response: response, body: data))
    }

    /// Builds the error details from a response and its body; a body that is not the contract's error
    /// shape still gives the status and a short excerpt.
    static func details(operationID: String, response: HTTPResponse, body: Data) -> ErrorResponseDetails {
        let requestID = response.headerFields[.requestID]
        let retryAfter = response.headerFields[.retryAfter].flatMap { RetryAfter.parse($0) }
        if let decoded = try? JSONDecoder().decode(Components.Schemas.ErrorResponse.self, from: body) {
            let info = decoded.error
            return ErrorResponseDetails(
                operation: operationID, status: response.status.code, code: info.code, message: info.message,
                details: info.details,
                validationErrors: (info.validationErrors ?? []).map {
                    .init(message: $0.message, members: $0.members ?? [])
                },
                requestID: requestID, retryAfter: retryAfter)
        }
        let excerpt = String(decoding: body.prefix(200), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return ErrorResponseDetails(
            operation: operationID, status: response.status.code, code: nil,
            message: response.status.reasonPhrase.isEmpty ? "HTTP error" : response.status.reasonPhrase,
            details: excerpt.isEmpty ? nil : excerpt, requestID: requestID, retryAfter: retryAfter)
    }
}
