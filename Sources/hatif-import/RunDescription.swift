import Foundation
import HatifImport

/// A run of the history as `runs` prints it: a table row, a page of details, or JSON.
struct RunDescription: Encodable {
    var id: Int64
    /// `import` or `undo`, and the run an undo undoes.
    var kind: String
    var undoes: Int64?
    var status: String
    var source: String
    var workspace: String
    var started: String
    var ended: String?
    var seconds: Double?
    var host: String
    var pid: Int32
    var incremental: Bool
    var fullLookup: Bool
    var records: Int
    var outcomes: [String: Int]
    var exitCode: Int32?
    var exitStatus: String?
    var report: String
    var inputs: [Input]
    /// Where an unfinished run resumes: the next file (from 1) and its byte offset.
    var resumesAt: String?

    struct Input: Encodable {
        var path: String
        var size: Int64
        var sha256: String
    }

    init(_ run: RunRecord) {
        id = run.id
        kind = run.kind.rawValue
        undoes = run.undoes
        status = run.status.rawValue
        source = run.source
        workspace = run.workspace
        started = run.started.formatted(.iso8601)
        ended = run.ended?.formatted(.iso8601)
        seconds = run.ended.map { ($0.timeIntervalSince(run.started) * 10).rounded() / 10 }
        host = run.host
        pid = run.pid
        incremental = run.incremental
        fullLookup = run.fullLookup
        let summary = run.summary
        records = summary.records
        outcomes = [
            "created": summary.create, "updated": summary.update, "unchanged": summary.unchanged, "merged": summary.merged,
            "conflict": summary.conflict, "rejected": summary.reject, "failed": summary.failed, "deleted": summary.delete,
            "missingFlagged": summary.missingFlagged, "missingDeleted": summary.missingDeleted,
        ]
        exitCode = run.exitCode
        exitStatus = run.exitCode.flatMap { ExitStatus(rawValue: $0)?.name }
        report = run.report
        inputs = run.inputs.map { Input(path: $0.path, size: $0.size, sha256: $0.sha256) }
        resumesAt = run.status == .finished || run.kind == .undo ? nil : run.checkpoint.map { checkpoint in
            "file \(checkpoint.next.fileIndex + 1), byte \(checkpoint.next.position?.byteOffset ?? 0)"
        }
    }

    static let tableHeader = "RUN  STATUS       STARTED               SECONDS  RECORDS  CREATED  UPDATED  UNCHANGED  REJECTED  FAILED  EXIT  SOURCE"

    var tableRow: String {
        func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count) }
        return pad("\(id)", 5) + pad(status, 13) + pad(started, 22) + pad(seconds.map { "\($0)" } ?? "-", 9) + pad("\(records)", 9)
            + pad("\(outcomes["created"] ?? 0)", 9) + pad("\(outcomes["updated"] ?? 0)", 9) + pad("\(outcomes["unchanged"] ?? 0)", 11)
            + pad("\((outcomes["rejected"] ?? 0) + (outcomes["conflict"] ?? 0))", 10) + pad("\(outcomes["failed"] ?? 0)", 8)
            + pad(exitCode.map { "\($0)" } ?? "-", 6) + source + (incremental ? (fullLookup ? " (incremental, verified)" : " (incremental)") : "")
    }

    var details: String {
        var lines = [
            "Run \(id): \(kind == "undo" ? "undo of run \(undoes ?? 0), " : "")\(status)",
            "  source:     \(source)",
            "  workspace:  \(workspace)",
            "  started:    \(started) on \(host), pid \(pid)",
            "  ended:      \(ended.map { "\($0) (\(seconds ?? 0) s)" } ?? "-")",
            "  lookup:     " + (incremental ? (fullLookup ? "incremental, every record looked up (verify)" : "incremental (source index trusted)") : "every record looked up"),
            "  records:    \(records): " + ["created", "updated", "deleted", "unchanged", "merged", "conflict", "rejected", "failed"].map { "\(outcomes[$0] ?? 0) \($0)" }.joined(separator: ", "),
            "  exit:       " + (exitCode.map { "\($0) (\(exitStatus ?? "unknown"))" } ?? "-"),
            "  report:     \(report)",
        ]
        if (outcomes["missingFlagged"] ?? 0) + (outcomes["missingDeleted"] ?? 0) > 0 {
            lines.append("  missing:    \(outcomes["missingFlagged"] ?? 0) flagged, \(outcomes["missingDeleted"] ?? 0) deleted (gone from the source)")
        }
        if let resumesAt { lines.append("  resumes at: \(resumesAt) (run the same command again)") }
        lines.append("  inputs:")
        for input in inputs { lines.append("    \(input.path) (\(input.size) bytes, SHA-256 \(input.sha256.prefix(16))…)") }
        return lines.joined(separator: "\n")
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
