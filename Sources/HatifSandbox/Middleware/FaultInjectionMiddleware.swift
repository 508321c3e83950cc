import HTTPTypes
import OpenAPIRuntime

/// Adds the configured latency, rate limit, 500/503 answers and dropped connections to API requests.
struct FaultInjectionMiddleware: ServerMiddleware {
    /// Thrown into a response body to make the server close the connection mid-answer.
    struct ConnectionDropped: Error {}

    /// The most request body a failing application reads before it fails: past the bulk limit.
    static let maxDrainedBytes = 64 << 20

    let faults: FaultInjector
    let statistics: RequestStatistics

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard operationID != "requestToken" else { return try await next(request, body, metadata) }
        let decision = await faults.decide(operation: operationID)
        if decision.latency > .zero { try await Task.sleep(for: decision.latency) }
        switch decision.outcome {
        case .rateLimited(let seconds):
            throw SandboxError(
                status: .tooManyRequests, code: "RateLimit.Exceeded",
                message: "Too many requests: the service account's budget is spent.", retryAfterSeconds: seconds)
        case .serverError(let status, let retryAfter):
            // A 500 comes from the application, which had read the request; a 503, like a 429, comes from
            // the gateway, which answers at once, often before the client has sent the whole body.
            if status == 500, let body { _ = try await ArraySlice<UInt8>(collecting: body, upTo: Self.maxDrainedBytes) }
            throw SandboxError(
                status: HTTPResponse.Status(code: status), code: "Server.Injected",
                message: "Injected failure; the request was not processed.", retryAfterSeconds: retryAfter)
        case .process(let drop):
            let (response, responseBody) = try await next(request, body, metadata)
            guard drop else { return (response, responseBody) }
            await statistics.recordDrop(operation: operationID)
            let failing = AsyncThrowingStream<ArraySlice<UInt8>, any Error> { $0.finish(throwing: ConnectionDropped()) }
            return (response, HTTPBody(failing, length: .unknown, iterationBehavior: .single))
        }
    }
}
