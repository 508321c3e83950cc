/// Why the run state cannot be used.
public enum StateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--state` is not a path or a PostgreSQL URL.
    case badLocation(String)
    /// The database cannot be opened, migrated, read or written.
    case database(location: String, reason: String)
    /// The database was written by a newer hatif-import.
    case newerSchema(location: String, version: Int, known: Int)
    /// Another run writes into this workspace.
    case locked(workspace: String, holder: String)
    /// The unfinished run of this source was started with other inputs or another mapping.
    case inputsChanged(run: Int64, reason: String)
    /// No run has this id.
    case noSuchRun(Int64)
    /// The connection to the database was lost during the run: what was committed is kept.
    case connectionLost(location: String, reason: String)

    public var description: String {
        switch self {
        case .badLocation(let reason): "--state: \(reason)."
        case .database(let location, let reason): "The run state \(location) cannot be used: \(reason)."
        case .newerSchema(let location, let version, let known):
            "The run state \(location) has schema version \(version), written by a newer hatif-import (this one knows up to \(known)). Upgrade hatif-import, or pass another --state."
        case .locked(let workspace, let holder):
            "Another run is writing into the workspace \(workspace): \(holder). Nothing was done. Wait for it to end; the lock frees itself when that process ends."
        case .inputsChanged(let run, let reason):
            "Run \(run) of this source stopped before the end, and \(reason). Resuming would import the wrong records: run it again with the inputs and mapping it started with, or pass --restart to leave it and start over."
        case .noSuchRun(let id): "No run \(id) in the run state (hatif-import runs lists them)."
        case .connectionLost(let location, let reason):
            "The connection to the run state \(location) was lost (\(reason)). What was committed is kept: run the same command again to resume."
        }
    }
}
