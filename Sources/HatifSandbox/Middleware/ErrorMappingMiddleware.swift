import HTTPTypes
import OpenAPIRuntime

/// Answers every failure with the contract's error body: sandbox errors as they are, requests that do not
/// decode as 400, anything else as 500.
struct ErrorMappingMiddleware: ServerMiddleware {
    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        do {
            return try await next(request, body, metadata)
        } catch {
            let failure = Self.sandboxError(for: error)
            return (HTTPResponse(status: failure.status, headerFields: failure.httpHeaderFields), failure.httpBody)
        }
    }

    static func sandboxError(for error: any Error) -> SandboxError {
        if let error = error as? SandboxError { return error }
        if let serverError = error as? ServerError {
            if let underlying = serverError.underlyingError as? SandboxError { return underlying }
            if serverError.operationInput == nil {
                return SandboxError.validation(
                    "Request.Invalid", "The request does not match the API contract.",
                    details: "\(serverError.causeDescription): \(serverError.underlyingError)")
            }
        }
        return SandboxError(status: .internalServerError, code: "Server.Error", message: "Internal error: \(error)")
    }
}

extension SandboxError {
    static func validation(_ code: String, _ message: String, details: String) -> SandboxError {
        SandboxError(status: .badRequest, code: code, message: message, details: details)
    }
}
