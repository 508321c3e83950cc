import Foundation

/// A `runs` row as both stores read it, before its JSON columns are decoded.
struct RunRow {
    var id: Int64
    var workspace: String
    var source: String
    var inputs: String
    var mapping: String
    var started: Double
    var ended: Double?
    var host: String
    var pid: Int64
    var status: String
    var summary: String
    var exitCode: Int64?
    var report: String
    var checkpoint: String?
    var incremental: Bool
    var fullLookup: Bool
    var kind: String
    var undoes: Int64?

    /// The columns, in the order every `SELECT` of a run names them.
    static let columns =
        "id, workspace, source, inputs, mapping, started, ended, host, pid, status, summary, exit_code, report, checkpoint, incremental, full_lookup, kind, undoes"

    /// The run it describes.
    func record() throws -> RunRecord {
        var run = RunRecord(
            id: id, workspace: workspace, source: source, inputs: try RunRecord.decode([InputFingerprint].self, inputs), mapping: mapping,
            started: Date(timeIntervalSince1970: started), host: host, pid: Int32(truncatingIfNeeded: pid), report: report,
            incremental: incremental, fullLookup: fullLookup)
        run.ended = ended.map { Date(timeIntervalSince1970: $0) }
        run.status = RunRecord.Status(rawValue: status) ?? .failed
        run.summary = try RunRecord.decode(PlanSummary.self, summary)
        run.exitCode = exitCode.map { Int32(truncatingIfNeeded: $0) }
        run.checkpoint = try checkpoint.map { try RunRecord.decode(Checkpoint.self, $0) }
        run.kind = RunRecord.Kind(rawValue: kind) ?? .import
        run.undoes = undoes
        return run
    }
}

extension StateStore {
    /// The holder text written beside a lock before the run has an id.
    static var startingHolder: String {
        "a run starting (host \(ProcessInfo.processInfo.hostName), pid \(ProcessInfo.processInfo.processIdentifier))"
    }
}
