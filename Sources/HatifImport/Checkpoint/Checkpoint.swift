import Foundation

/// What a run has committed, so a new run with the same inputs resumes where it stopped; kept in the run
/// state (``StateStore``) beside the run.
///
/// Holds no secret and no contact data: only paths, fingerprints, positions, counts and the identities of
/// the records in flight.
public struct Checkpoint: Sendable, Codable, Equatable {
    /// The format this version writes: 3 lists the records in flight as ranges (``RecordIDRanges``); it
    /// reads 2, which lists them as objects, too.
    public static let currentVersion = 3

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

extension Checkpoint {
    enum CodingKeys: String, CodingKey {
        case version, inputs, mapping, next, inFlight, inFlightCreates, inFlightSince, summary, resultsLength, rejectsLength, missingAfter
        case missingDone, updated
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(Int.self, forKey: .version)
        inputs = try container.decode([InputFingerprint].self, forKey: .inputs)
        mapping = try container.decode(InputFingerprint.self, forKey: .mapping)
        next = try container.decode(RunPosition.self, forKey: .next)
        inFlight = try Self.decodeIDs(container, .inFlight) ?? []
        inFlightCreates = try Self.decodeIDs(container, .inFlightCreates)
        inFlightSince = try container.decodeIfPresent(Date.self, forKey: .inFlightSince)
        summary = try container.decode(PlanSummary.self, forKey: .summary)
        resultsLength = try container.decode(Int64.self, forKey: .resultsLength)
        rejectsLength = try container.decode(Int64.self, forKey: .rejectsLength)
        missingAfter = try container.decodeIfPresent(String.self, forKey: .missingAfter)
        missingDone = try container.decodeIfPresent(Int.self, forKey: .missingDone)
        updated = try container.decode(Date.self, forKey: .updated)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(inputs, forKey: .inputs)
        try container.encode(mapping, forKey: .mapping)
        try container.encode(next, forKey: .next)
        try Self.encodeIDs(inFlight, &container, .inFlight)
        if let inFlightCreates { try Self.encodeIDs(inFlightCreates, &container, .inFlightCreates) }
        try container.encodeIfPresent(inFlightSince, forKey: .inFlightSince)
        try container.encode(summary, forKey: .summary)
        try container.encode(resultsLength, forKey: .resultsLength)
        try container.encode(rejectsLength, forKey: .rejectsLength)
        try container.encodeIfPresent(missingAfter, forKey: .missingAfter)
        try container.encodeIfPresent(missingDone, forKey: .missingDone)
        try container.encode(updated, forKey: .updated)
    }

    /// Ranges; objects for a list ranges cannot write (a negative number, which no reader makes).
    private static func encodeIDs(_ ids: [RecordID], _ container: inout KeyedEncodingContainer<CodingKeys>, _ key: CodingKeys) throws {
        if ids.allSatisfy({ $0.fileIndex >= 0 && $0.ordinal >= 0 }) {
            try container.encode(RecordIDRanges.text(ids), forKey: key)
        } else {
            try container.encode(ids, forKey: key)
        }
    }

    /// A list of records as version 3 writes it (ranges) or as version 2 did (objects); nil when absent.
    private static func decodeIDs(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> [RecordID]? {
        guard container.contains(key), try !container.decodeNil(forKey: key) else { return nil }
        if let text = try? container.decode(String.self, forKey: key) {
            guard let ids = RecordIDRanges.ids(text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not a list of record ranges: \(text.prefix(80))")
            }
            return ids
        }
        return try container.decode([RecordID].self, forKey: key)
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
