import Foundation
import HatifAPI
import HatifImport

/// The documented exit codes of `hatif-import`, for people and schedulers.
enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Everything was done (or what was not stayed within --max-rejects).
    case success = 0
    /// Done, but records were rejected (bad data) or in conflict.
    case recordsRejected = 1
    /// Usage or configuration error: nothing was done.
    case usage = 2
    /// Interrupted (SIGINT/SIGTERM); the run can be resumed.
    case interrupted = 3
    /// The auth server refused the credentials.
    case authenticationFailed = 4
    /// The API stayed unavailable after retries; the run can be resumed.
    case apiUnavailable = 5
    /// Another run writes into the workspace (it holds the workspace lock): nothing was done.
    case locked = 6
    /// The input or the mapping changed since the source's unfinished run started: nothing was done
    /// (--restart starts over).
    case inputsChanged = 7
    /// A workspace property conflicts with the mapping (type, or a closed list's options): nothing was written.
    case propertyConflict = 8
    /// Done, but the API refused records after retries (failed); re-running retries them.
    case recordsFailed = 9
    /// The run state could not be reached or written during the run (its connection was lost); the run
    /// can be resumed.
    case stateUnavailable = 10
    /// --on-missing: more contacts are gone from the source than --max-missing allows; none was touched
    /// (the records present were imported; the same command with a higher --max-missing resumes).
    case tooManyMissing = 11
    /// --on-missing: the input holds fewer than half the records of the source's last complete run; no
    /// missing contact was touched (--allow-shrink goes ahead).
    case inputShrank = 12

    /// The name a JSON summary gives the status.
    var name: String {
        switch self {
        case .success: "success"
        case .recordsRejected: "records-rejected"
        case .usage: "usage"
        case .interrupted: "interrupted"
        case .authenticationFailed: "authentication-failed"
        case .apiUnavailable: "api-unavailable"
        case .locked: "locked"
        case .inputsChanged: "inputs-changed"
        case .propertyConflict: "property-conflict"
        case .recordsFailed: "records-failed"
        case .stateUnavailable: "state-unavailable"
        case .tooManyMissing: "too-many-missing"
        case .inputShrank: "input-shrank"
        }
    }

    /// The table for `--help` and the README.
    static let table = """
        Exit codes: 0 done; 1 records rejected or in conflict; 2 usage or configuration error; \
        3 interrupted (resumable); 4 authentication failed; 5 API unavailable after retries (resumable); \
        6 another run is writing into the workspace; 7 the input or mapping changed since the source's unfinished run \
        started (--restart starts over); 8 a workspace property conflicts with the mapping; 9 records failed (the API \
        refused them after retries); 10 the run state was lost during the run (resumable); 11 --on-missing: more contacts \
        are gone from the source than --max-missing allows (none touched); 12 --on-missing: the input holds fewer than \
        half the records of the source's last complete run (none touched; --allow-shrink goes ahead). \
        With --max-rejects, rejected, in-conflict and failed records within the budget exit 0.
        """

    /// The exit status that fits an error.
    static func forError(_ error: any Error) -> ExitStatus {
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
            case .apiFailed(let api, _, _): return forError(api)
            }
        case is CheckpointError: return .inputsChanged
        case ReaderError.streamChanged: return .inputsChanged
        case let state as StateError:
            switch state {
            case .locked: return .locked
            case .inputsChanged: return .inputsChanged
            case .connectionLost: return .stateUnavailable
            case .badLocation, .database, .newerSchema, .noSuchRun: return .usage
            }
        case is PropertySyncError: return .propertyConflict
        case let missing as MissingError:
            switch missing {
            case .tooMany: return .tooManyMissing
            case .inputShrank: return .inputShrank
            }
        case is UndoError: return .usage
        case is CancellationError: return .interrupted
        default: return .usage
        }
    }

    /// The code a run history records for a run that ended with `summary` or `error`.
    static func code(_ summary: PlanSummary?, _ error: (any Error)?, budget: RejectBudget?) -> Int32 {
        if let error { return forError(error).rawValue }
        return forSummary(summary ?? PlanSummary(), budget: budget).rawValue
    }

    /// The status of a finished run or dry run: what was not imported (rejected, in conflict, failed)
    /// within `budget` is success; else failures before rejects.
    static func forSummary(_ summary: PlanSummary, budget: RejectBudget?) -> ExitStatus {
        let notImported = summary.reject + summary.conflict + summary.failed
        if notImported == 0 || budget?.allows(notImported, of: summary.records) == true { return .success }
        return summary.failed > 0 ? .recordsFailed : .recordsRejected
    }
}

/// `--max-rejects N` or `N%`: how many records a run may leave out (rejected, in conflict or failed) and
/// still exit 0.
typealias RejectBudget = Allowance
