/// Why a run cannot be undone.
public enum UndoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The run is itself an undo.
    case undoOfUndo(run: Int64, undoes: Int64?)
    /// An undo of the run finished with every contact undone.
    case alreadyUndone(run: Int64, by: Int64)
    /// The run wrote into another workspace than the one the command points at.
    case otherWorkspace(run: Int64, workspace: String, current: String)

    public var description: String {
        switch self {
        case .undoOfUndo(let run, let undoes):
            "Run \(run) is an undo\(undoes.map { " (of run \($0))" } ?? ""), and an undo is not undone. Nothing was done. To have the contacts of that import back, run its import again."
        case .alreadyUndone(let run, let by):
            "Run \(run) was undone by run \(by) already. Nothing was done (hatif-import runs show \(by) says what it did)."
        case .otherWorkspace(let run, let workspace, let current):
            "Run \(run) wrote into \(workspace), and this command points at \(current). Nothing was done: pass the --api-url and --client-id run \(run) used."
        }
    }
}
