/// What `inspect` found out about one field.
public struct FieldProfile: Sendable, Equatable, Codable {
    /// The field's name.
    public var name: String
    /// Records in which it has a non-empty value.
    public var filled: Int
    /// `filled` over the records read.
    public var fillRate: Double
    /// Distinct non-empty values (exact up to 1,024).
    public var distinct: Int
    /// Whether `distinct` is an estimate.
    public var distinctIsEstimate: Bool
    /// Up to three sample values, the first distinct ones seen.
    public var samples: [String]
    /// The guessed kind of value.
    public var kind: ValueKind
    /// Up to 200 of the values seen, for decisions such as a date format (not encoded).
    public var valueSample: [String] = []
    /// Every distinct value, when there are at most 20 (not encoded).
    public var fewDistinctValues: [String]?

    enum CodingKeys: String, CodingKey { case name, filled, fillRate, distinct, distinctIsEstimate, samples, kind }
}

/// Gathers a ``FieldProfile`` while records stream by.
struct FieldProfiler {
    let name: String
    private(set) var filled = 0
    private var distinct = DistinctCounter()
    private(set) var samples: [String] = []
    /// Up to 2,000 values for the kind guess and for mapping decisions.
    private(set) var sampleForKind: [String] = []
    private var lastRecord = 0

    init(name: String) { self.name = name }

    mutating func add(_ value: String, record: Int) {
        let trimmed = value.trimmedSpaces()
        // A date of zeros (Outlook's `0/0/00` for no birthday, MySQL's `0000-00-00`) is no value.
        guard !trimmed.isEmpty, !DateParser.isZeroDate(trimmed) else { return }
        if record != lastRecord {
            filled += 1
            lastRecord = record
        }
        distinct.add(trimmed)
        if samples.count < 3 && !samples.contains(trimmed) { samples.append(trimmed) }
        if sampleForKind.count < 2000 { sampleForKind.append(trimmed) }
    }

    func profile(records: Int) -> FieldProfile {
        FieldProfile(
            name: name, filled: filled, fillRate: records == 0 ? 0 : Double(filled) / Double(records),
            distinct: distinct.count, distinctIsEstimate: distinct.isEstimate, samples: samples,
            kind: ValueKind.guess(sampleForKind), valueSample: Array(sampleForKind.prefix(200)),
            fewDistinctValues: distinct.count <= 20 ? distinct.exactValues : nil)
    }
}
