import AsyncHTTPClient
import OpenAPIRuntime

/// Tells transport errors that prove a request never reached the server whole from those whose outcome is
/// unknown.
public enum TransportFailure {
    /// Whether `error` shows the server cannot have acted on the request: no connection was made, or the
    /// server answered before the request body was all sent (an early error answer, which AsyncHTTPClient
    /// reports as a body length mismatch or a cancelled body stream), so it never saw a whole request.
    public static func requestWasNotDelivered(_ error: any Error) -> Bool {
        if let clientError = error as? ClientError { return requestWasNotDelivered(clientError.underlyingError) }
        guard let httpError = error as? HTTPClientError else { return false }
        return notDelivered.contains(httpError)
    }

    private static let notDelivered: [HTTPClientError] = [
        .bodyLengthMismatch, .requestStreamCancelled, .connectTimeout, .getConnectionFromPoolTimeout,
    ]
}
