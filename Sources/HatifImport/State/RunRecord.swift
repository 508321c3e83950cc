import Foundation

/// One run in the run history: what it imported, where, when, by whom, how it ended.
public struct RunRecord: Sendable, Equatable {
    /// How a run stands.
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        /// Writing, or killed while writing (the workspace lock tells which).
        case running
        /// Read every input to the end.
        case finished
        /// Stopped on request or by an API failure; the same command resumes it.
        case interrupted
        /// Stopped by an error; the same command resumes it once the cause is mended.
        case failed
        /// Left unfinished for a new run (`--restart`).
        case abandoned
    }

    /// What a run does.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Imports a source's records.
        case `import`
        /// Undoes an import (`hatif-import undo RUN`).
        case undo
    }

    /// The run's number, increasing.
    public var id: Int64
    /// The API URL and client id the run writes into.
    public var workspace: String
    /// The name of what is imported (`--source`, default from the input names).
    public var source: String
    /// The inputs, in order.
    public var inputs: [InputFingerprint]
    /// SHA-256 of the mapping's meaning.
    public var mapping: String
    public var started: Date
    public var ended: Date?
    public var host: String
    public var pid: Int32
    public var status: Status
    /// Counts (the committed ones while the run is not finished).
    public var summary: PlanSummary
    /// The process exit code, once it ended.
    public var exitCode: Int32?
    /// The report folder.
    public var report: String
    /// Whether the run trusted the source index (`--incremental`) and whether it looked every record up.
    public var incremental: Bool
    public var fullLookup: Bool
    /// Where an unfinished run resumes; nil once it finished.
    public var checkpoint: Checkpoint?
    /// An import or an undo.
    public var kind: Kind = .import
    /// The run an undo undoes.
    public var undoes: Int64?

    /// Creates the record of a run about to start.
    public init(
        id: Int64 = 0, workspace: String, source: String, inputs: [InputFingerprint], mapping: String, started: Date = Date(),
        host: String = ProcessInfo.processInfo.hostName, pid: Int32 = ProcessInfo.processInfo.processIdentifier, report: String,
        incremental: Bool = false, fullLookup: Bool = true
    ) {
        self.id = id
        self.workspace = workspace
        self.source = source
        self.inputs = inputs
        self.mapping = mapping
        self.started = started
        self.host = host
        self.pid = pid
        status = .running
        summary = PlanSummary()
        self.report = report
        self.incremental = incremental
        self.fullLookup = fullLookup
    }

    /// `run 12 (host db-1, pid 4711, started 2026-12-02T08:15:00Z)`.
    public var holderDescription: String {
        "run \(id) (host \(host), pid \(pid), started \(started.formatted(.iso8601)))"
    }

    /// The columns the stores keep as JSON.
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .deferredToDate
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .deferredToDate
        return try decoder.decode(type, from: Data(text.utf8))
    }
}
