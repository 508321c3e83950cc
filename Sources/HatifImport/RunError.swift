import HatifAPI

/// Why a run stopped before the end; the checkpoint holds where it was, so the same command resumes it.
public enum RunError: Error, Sendable, CustomStringConvertible {
    /// Stopped on request (SIGINT/SIGTERM) after committing what was in flight.
    case interrupted(checkpoint: String, committedRecords: Int)
    /// The API failed in a way retries did not mend (unavailable, or authentication).
    case apiFailed(HatifAPIError, checkpoint: String)

    public var description: String {
        switch self {
        case .interrupted(let checkpoint, let records):
            "Interrupted after \(records) committed records. Run the same command again to resume (the checkpoint is \(checkpoint)); --restart starts over."
        case .apiFailed(let error, let checkpoint):
            "\(error) The run stopped; what was committed is kept in \(checkpoint). Run the same command again to resume once the API is back."
        }
    }
}
