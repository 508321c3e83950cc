import HatifAPI

/// Why a run stopped before the end; the run state holds where it was, so the same command resumes it.
public enum RunError: Error, Sendable, CustomStringConvertible {
    /// Stopped on request (SIGINT/SIGTERM) after committing what was in flight.
    case interrupted(run: Int64, committed: PlanSummary)
    /// The API failed in a way retries did not mend (unavailable, or authentication).
    case apiFailed(HatifAPIError, run: Int64, committed: PlanSummary)

    /// What the run had committed when it stopped.
    public var committed: PlanSummary {
        switch self {
        case .interrupted(_, let summary), .apiFailed(_, _, let summary): summary
        }
    }

    public var description: String {
        switch self {
        case .interrupted(let run, let summary):
            "Interrupted after \(summary.records) committed records (run \(run)). Run the same command again to resume; --restart starts over."
        case .apiFailed(let error, let run, _):
            "\(error) Run \(run) stopped; what it committed is kept in the run state. Run the same command again to resume once the API is back."
        }
    }
}
