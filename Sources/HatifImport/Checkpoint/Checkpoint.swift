import Foundation

/// What a run has committed, so a new run with the same inputs resumes where it stopped; kept in the run
/// state (``StateStore``) beside the run.
///
/// Holds no secret and no contact data: only paths, fingerprints, positions, counts and the identities of
/// the records in flight.
public struct Checkpoint: Sendable, Codable, Equatable {
    /// The format this version writes and reads.
    public static let currentVersion = 2

    /// The format version.
    public var version = Checkpoint.currentVersion
    /// The inputs, in order.
    public var inputs: [InputFingerprint]
    /// The mapping file.
    public var mapping: InputFingerprint
    /// Where reading resumes: the first record not yet committed.
    public var next: RunPosition
    /// The records whose creates or updates were sent but not committed: a resumed run plans them again
    /// and finds the contacts they made (``CreatedContactFinder``) before anything is sent again.
    public var inFlight: [RecordID]
    /// Of the records in flight, those planned as creates (a resumed run that finds their contacts knows
    /// it made them).
    public var inFlightCreates: [RecordID]?
    /// When the records in flight were marked, just before their first request.
    public var inFlightSince: Date?
    /// Counts so far.
    public var summary: PlanSummary
    /// The lengths of `results.jsonl` and `rejects.csv` at this checkpoint: a resumed run drops what a
    /// crashed run wrote past them, so no record is listed twice.
    public var resultsLength: Int64 = 0
    public var rejectsLength: Int64 = 0
    /// After the last record: the last contact `--on-missing` acted on (by id), and how many it acted on.
    public var missingAfter: String?
    public var missingDone: Int?
    /// When the checkpoint was written (stored, like the fingerprints' times, as seconds since 2001 so it
    /// reads back exactly).
    public var updated: Date

    public init(
        inputs: [InputFingerprint], mapping: InputFingerprint, next: RunPosition = .start, inFlight: [RecordID] = [],
        inFlightSince: Date? = nil, summary: PlanSummary = PlanSummary(), updated: Date = Date()
    ) {
        self.inputs = inputs
        self.mapping = mapping
        self.next = next
        self.inFlight = inFlight
        self.inFlightSince = inFlightSince
        self.summary = summary
        self.updated = updated
    }

    /// Checks that `inputs` and `mapping` are the ones this checkpoint was made for.
    public func checkResumable(inputs: [InputFingerprint], mapping: InputFingerprint) throws(CheckpointError) {
        guard inputs.map(\.path) == self.inputs.map(\.path) else {
            throw .inputsChanged(
                reason: "the run was started with \(self.inputs.map(\.path).joined(separator: ", ")), not \(inputs.map(\.path).joined(separator: ", "))")
        }
        for (now, then) in zip(inputs, self.inputs) {
            if let difference = now.difference(from: then) { throw .inputsChanged(reason: "\(now.path): \(difference)") }
        }
        if let difference = mapping.difference(from: self.mapping) {
            throw .inputsChanged(reason: "the mapping \(mapping.path): \(difference)")
        }
    }
}

extension InputFingerprint {
    /// The fingerprint of a mapping's meaning (its checked content, not its comments or layout).
    static func of(mapping: MappingFile) -> InputFingerprint {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = (try? encoder.encode(mapping)) ?? Data()
        return InputFingerprint(path: "mapping", size: Int64(data.count), modified: Date(timeIntervalSinceReferenceDate: 0), sha256: sha256Hex(data))
    }
}

/// Why a checkpoint does not fit a run.
public enum CheckpointError: Error, Sendable, Equatable, CustomStringConvertible {
    case inputsChanged(reason: String)

    public var description: String {
        switch self {
        case .inputsChanged(let reason):
            "The checkpoint does not fit this run: \(reason). Resuming would import the wrong records; pass --restart to start over."
        }
    }
}
