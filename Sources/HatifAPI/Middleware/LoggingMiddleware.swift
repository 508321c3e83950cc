import Foundation
import HTTPTypes
import Logging
import OpenAPIRuntime

/// Logs each HTTP exchange (operation, method, path, status, duration, request id) at debug level.
///
/// Never logs bodies (they hold personal data and, for the token call, the client secret) nor the
/// `Authorization` header.
public struct LoggingMiddleware: ClientMiddleware {
    private let logger: Logger

    /// Creates the middleware.
    public init(logger: Logger) { self.logger = logger }

    public func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        // Each exchange is logged at debug level: when that is off, nothing here needs making.
        guard logger.logLevel <= .debug else { return try await next(request, body, baseURL) }
        let start = ContinuousClock.now
        var metadata: Logger.Metadata = [
            "operation": "\(operationID)", "method": "\(request.method.rawValue)",
            "path": "\(Self.pathWithoutQuery(request.path))",
        ]
        do {
            let (response, responseBody) = try await next(request, body, baseURL)
            metadata["status"] = "\(response.status.code)"
            metadata["duration_ms"] = "\((ContinuousClock.now - start).milliseconds)"
            if let requestID = response.headerFields[.requestID] { metadata["request_id"] = "\(requestID)" }
            logger.debug("HTTP exchange", metadata: metadata)
            return (response, responseBody)
        } catch {
            metadata["error"] = "\(error)"
            metadata["duration_ms"] = "\((ContinuousClock.now - start).milliseconds)"
            logger.debug("HTTP exchange failed", metadata: metadata)
            throw error
        }
    }

    private static func pathWithoutQuery(_ path: String?) -> String {
        guard let path else { return "" }
        return path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
    }
}

extension HTTPField.Name {
    /// `X-Request-Id`, the server's id of a request.
    public static let requestID = HTTPField.Name("X-Request-Id")!
}
