import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Makes every attempt of every request wait for the shared ``RateLimiter`` and tells it how the server
/// answered.
public struct RateLimitMiddleware: ClientMiddleware {
    private let limiter: RateLimiter

    /// Creates the middleware over a limiter.
    public init(limiter: RateLimiter) { self.limiter = limiter }

    public func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let ticket = try await limiter.acquire()
        let (response, responseBody) = try await next(request, body, baseURL)
        if response.status == .tooManyRequests || response.status == .serviceUnavailable {
            await limiter.throttled(ticket: ticket, retryAfter: response.headerFields[.retryAfter].flatMap { RetryAfter.parse($0) })
        } else if response.status.code < 500 {
            await limiter.succeeded()
        }
        return (response, responseBody)
    }
}
