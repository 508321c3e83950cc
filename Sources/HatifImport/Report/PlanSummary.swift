/// Counts of a plan or a run, by action (by outcome after a run), and the properties it creates.
public struct PlanSummary: Sendable, Hashable, Codable {
    public var records = 0
    public var create = 0
    public var update = 0
    public var unchanged = 0
    public var conflict = 0
    public var reject = 0
    /// Records merged into an earlier record with the same key.
    public var merged = 0
    /// Records a run could not write (the API refused them); always 0 in a dry run.
    public var failed = 0
    /// Contacts deleted (by an undo).
    public var delete = 0
    /// Contacts gone from the source that `--on-missing` flagged or deleted (not counted as records).
    public var missingFlagged = 0
    public var missingDeleted = 0
    /// Properties the run creates (or would create, in a dry run).
    public var propertiesToCreate: [String] = []
    /// Options the run added (a dry run: would add) to choice lists, by property name.
    public var optionsAdded: [String: [String]] = [:]
    /// Records whose phone was kept although the phone metadata does not know it (``PhoneNumber/isValid``).
    public var phonesKept = 0
    /// The requests the plan needs and the time they take; after a run, beside the requests it sent.
    public var sizing: RunSizing?
    /// The mapping's source fields that no record had (a typo, another case, a column the export left
    /// out): they mapped nothing.
    public var unmatchedSources: [String] = []
    /// What the readers noticed about the inputs, each as `path: notice` (a fallback encoding, lines
    /// before a CSV's table, sheets not read).
    public var inputNotices: [String] = []

    public init() {}

    enum CodingKeys: String, CodingKey {
        case records, create, update, unchanged, conflict, reject, merged, failed, delete, missingFlagged, missingDeleted, propertiesToCreate, optionsAdded, phonesKept, sizing
        case unmatchedSources, inputNotices
    }

    /// Reads a summary; members that an older version did not write start at their defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func count(_ key: CodingKeys) throws -> Int { try container.decodeIfPresent(Int.self, forKey: key) ?? 0 }
        records = try count(.records)
        create = try count(.create)
        update = try count(.update)
        unchanged = try count(.unchanged)
        conflict = try count(.conflict)
        reject = try count(.reject)
        merged = try count(.merged)
        failed = try count(.failed)
        delete = try count(.delete)
        missingFlagged = try count(.missingFlagged)
        missingDeleted = try count(.missingDeleted)
        phonesKept = try count(.phonesKept)
        propertiesToCreate = try container.decodeIfPresent([String].self, forKey: .propertiesToCreate) ?? []
        optionsAdded = try container.decodeIfPresent([String: [String]].self, forKey: .optionsAdded) ?? [:]
        sizing = try container.decodeIfPresent(RunSizing.self, forKey: .sizing)
        unmatchedSources = try container.decodeIfPresent([String].self, forKey: .unmatchedSources) ?? []
        inputNotices = try container.decodeIfPresent([String].self, forKey: .inputNotices) ?? []
    }

    /// Notes options added to choice lists, after those noted before.
    public mutating func addOptions(_ added: [String: [String]]) {
        for (name, options) in added {
            for option in options where !(optionsAdded[name]?.contains(option) ?? false) { optionsAdded[name, default: []].append(option) }
        }
    }

    /// Counts one entry.
    public mutating func add(_ entry: PlanEntry) {
        if entry.file == MissingContact.fileLabel, entry.outcome != .created {
            switch entry.category {
            case .action(.update): missingFlagged += 1
            case .action(.delete): missingDeleted += 1
            case .failed: failed += 1
            default: break
            }
            return
        }
        records += 1
        // A kept number's note starts with the number: most reasons are passed over by their first byte.
        if entry.reasons.contains(where: { $0.hasPrefix("+") && $0.contains(PhoneNumber.keptMarker) }) { phonesKept += 1 }
        switch entry.category {
        case .action(.create): create += 1
        case .action(.update): update += 1
        case .action(.unchanged): unchanged += 1
        case .action(.conflict): conflict += 1
        case .action(.merged): merged += 1
        case .action(.reject): reject += 1
        case .action(.delete): delete += 1
        case .failed: failed += 1
        }
    }
}
