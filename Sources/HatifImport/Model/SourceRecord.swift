/// One record read from an input file: its place, and its fields in file order.
///
/// A name may occur more than once (a vCard with two `TEL`s, an XML record with two `phone` elements,
/// a CSV with a repeated header): each occurrence is its own field, in order.
///
/// The readers' hot path shapes the storage: the values' UTF-8 (checked by the reader) sits in one buffer,
/// one ASCII separator byte between two values, so a record costs one allocation for its text however
/// many fields it has (as a `StringRecord` of Rust's `csv` does) and a CSV line without quotes is copied
/// as it is; the records of one CSV file share a single names array (the header). A value becomes a
/// `String` when asked for; ``forEachValue(_:)`` reads them all without one.
public struct SourceRecord: Sendable, Hashable {
    /// Parameters and group of one field, for formats that have them.
    struct Attributes: Sendable, Hashable {
        var parameters: [String: [String]]
        var group: String?
    }

    /// 1-based position of the record in its file (rejects included).
    public var ordinal: Int
    /// Where it starts.
    public var location: SourceLocation
    /// The field names, in file order.
    public private(set) var fieldNames: [String]
    /// Every value's UTF-8, one ASCII separator byte between two values; well-formed.
    @usableFromInline var utf8: [UInt8]
    /// Where each value ends in `utf8`; the next starts one byte later.
    @usableFromInline var ends: [Int]
    /// Parameters and groups aligned with the names, or empty when no field has any.
    private var attributes: [Attributes]
    /// What a lenient reader let pass in this record (e.g. a stray quote), for the report.
    public var notes: [String]

    /// Creates a record from fields.
    public init(ordinal: Int, location: SourceLocation, fields: [SourceField], notes: [String] = []) {
        self.init(ordinal: ordinal, location: location, names: fields.map(\.name), values: fields.map(\.value), notes: notes)
        if fields.contains(where: { !$0.parameters.isEmpty || $0.group != nil }) {
            attributes = fields.map { Attributes(parameters: $0.parameters, group: $0.group) }
        }
    }

    /// Creates a record from parallel names and values (the names array may be shared between records).
    public init(ordinal: Int, location: SourceLocation, names: [String], values: [String], notes: [String] = []) {
        precondition(names.count == values.count, "one value per name")
        var utf8: [UInt8] = []
        utf8.reserveCapacity(values.reduce(values.count) { $0 + $1.utf8.count })
        var ends: [Int] = []
        ends.reserveCapacity(values.count)
        for value in values {
            if !ends.isEmpty { utf8.append(Self.separator) }
            utf8 += value.utf8
            ends.append(utf8.count)
        }
        self.init(ordinal: ordinal, location: location, names: names, utf8: utf8, ends: ends, attributes: [], notes: notes)
    }

    /// Creates a record from names, the values' well-formed UTF-8 with one ASCII separator byte between
    /// two values, where each value ends in it, and attributes aligned with the names or empty.
    init(ordinal: Int, location: SourceLocation, names: [String], utf8: [UInt8], ends: [Int], attributes: [Attributes], notes: [String]) {
        precondition(names.count == ends.count, "one value per name")
        self.ordinal = ordinal
        self.location = location
        self.fieldNames = names
        self.utf8 = utf8
        self.ends = ends
        self.attributes = attributes.contains { !$0.parameters.isEmpty || $0.group != nil } ? attributes : []
        self.notes = notes
    }

    /// The byte put between two values by those who build records from strings.
    static let separator: UInt8 = 0x1F

    /// How many fields the record has.
    @inlinable public var fieldCount: Int { ends.count }

    /// The value of field `index`.
    @inlinable public func value(at index: Int) -> String {
        utf8.withUnsafeBufferPointer { all in
            String(decoding: UnsafeBufferPointer(rebasing: all[(index == 0 ? 0 : ends[index - 1] + 1)..<ends[index]]), as: UTF8.self)
        }
    }

    /// Calls `body` with each value's UTF-8 in turn, without making strings: for readers of every field,
    /// such as `inspect`, where a string per value would cost more than the reading.
    @inlinable public func forEachValue(_ body: (_ index: Int, _ utf8: UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        try utf8.withUnsafeBufferPointer { all in
            var start = 0
            for (index, end) in ends.enumerated() {
                try body(index, UnsafeBufferPointer(rebasing: all[start..<end]))
                start = end + 1
            }
        }
    }

    /// The field values, one per name.
    public var fieldValues: [String] {
        var values: [String] = []
        values.reserveCapacity(fieldCount)
        forEachValue { _, utf8 in values.append(String(decoding: utf8, as: UTF8.self)) }
        return values
    }

    /// The fields, in file order.
    public var fields: [SourceField] {
        fieldNames.indices.map { index in
            let extra = attributes.isEmpty ? nil : attributes[index]
            return SourceField(
                name: fieldNames[index], value: value(at: index), parameters: extra?.parameters ?? [:],
                group: extra?.group)
        }
    }

    /// Every value of the fields named `name`, in order.
    public func values(_ name: String) -> [String] {
        fieldNames.indices.filter { fieldNames[$0] == name }.map(value(at:))
    }

    /// The first value of the field named `name`.
    public func first(_ name: String) -> String? {
        fieldNames.firstIndex(of: name).map(value(at:))
    }
}
