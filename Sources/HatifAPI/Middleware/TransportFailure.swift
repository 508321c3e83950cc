import OpenAPIRuntime

/// Tells transport errors that prove a request never reached the server whole from those whose outcome is
/// unknown.
public enum TransportFailure {
    /// Whether `error` shows the server cannot have acted on the request: no connection was made, or the
    /// request never all went out to the socket (``HatifHTTPTransport/Failure/requestWasNotDelivered``).
    public static func requestWasNotDelivered(_ error: any Error) -> Bool {
        if let clientError = error as? ClientError { return requestWasNotDelivered(clientError.underlyingError) }
        guard let failure = error as? HatifHTTPTransport.Failure else { return false }
        return failure.requestWasNotDelivered
    }
}
