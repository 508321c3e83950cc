import HatifAPI

/// The documented exit codes of `hatif-import`.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Everything was done.
    case success = 0
    /// Done, but some records were rejected or failed.
    case recordsRejected = 1
    /// Usage or configuration error: nothing was done.
    case usage = 2
    /// Interrupted (SIGINT/SIGTERM); the run can be resumed.
    case interrupted = 3
    /// The auth server refused the credentials.
    case authenticationFailed = 4
    /// The API stayed unavailable after retries.
    case apiUnavailable = 5

    /// The exit status that fits an error.
    public static func forError(_ error: any Error) -> ExitStatus {
        switch error {
        case let api as HatifAPIError:
            switch api {
            case .authentication: return .authenticationFailed
            case .response(let details) where details.status == 401 || details.status == 403: return .authenticationFailed
            case .transport, .invalidResponse, .response: return .apiUnavailable
            }
        case let run as RunError:
            switch run {
            case .interrupted: return .interrupted
            case .apiFailed(let api, _): return forError(api)
            }
        case is CancellationError: return .interrupted
        default: return .usage
        }
    }
}
