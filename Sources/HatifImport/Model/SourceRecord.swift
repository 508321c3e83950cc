/// One record read from an input file: its place, and its fields in file order.
///
/// A name may occur more than once (a vCard with two `TEL`s, an XML record with two `phone` elements,
/// a CSV with a repeated header): each occurrence is its own field, in order.
///
/// The readers' hot path shapes the storage: the values' UTF-8 (checked by the reader) sits in one buffer,
/// one ASCII separator byte between two values, followed by where each value ends, so a record costs one
/// allocation however many fields it has (as a `StringRecord` of Rust's `csv` does) and a CSV line without
/// quotes is copied as it is; the records of one CSV file share a single names array (the header). A
/// value becomes a `String` when asked for; ``forEachValue(_:)`` reads them all without one.
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
    /// Every value's UTF-8, one ASCII separator byte between two values (well-formed), then, from
    /// `endsOffset`, where each value ends as a 32-bit count; the next value starts one byte later.
    @usableFromInline var storage: [UInt8]
    /// Where the ends start in `storage`, a multiple of 4.
    @usableFromInline var endsOffset: Int
    /// How many fields the record has.
    public private(set) var fieldCount: Int
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
        var gathered = RecordValues(fields: values.count, bytes: values.reduce(0) { $0 + $1.utf8.count })
        for value in values { gathered.append(value.utf8) }
        self.init(ordinal: ordinal, location: location, names: names, values: gathered, attributes: [], notes: notes)
    }

    /// Creates a record from names, the values a reader gathered (well-formed UTF-8), and attributes
    /// aligned with the names or empty.
    init(ordinal: Int, location: SourceLocation, names: [String], values: RecordValues, attributes: [Attributes], notes: [String]) {
        self = values.utf8.withUnsafeBufferPointer { text in
            values.ends.withUnsafeBufferPointer { ends in
                SourceRecord(
                    ordinal: ordinal, location: location, names: names, utf8: text, ends: ends, attributes: attributes, notes: notes)
            }
        }
    }

    /// Creates a record from names, the values' well-formed UTF-8 laid out as in ``RecordValues`` and where
    /// each value ends in it, and attributes aligned with the names or empty; all copied into the record's
    /// one allocation.
    init(
        ordinal: Int, location: SourceLocation, names: [String], utf8 text: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<Int>,
        attributes: [Attributes], notes: [String]
    ) {
        precondition(names.count == ends.count, "one value per name")
        precondition(text.count <= Int(UInt32.max), "a record's text fits 32-bit offsets")
        self.ordinal = ordinal
        self.location = location
        self.fieldNames = names
        let endsOffset = (text.count + 3) & ~3
        self.endsOffset = endsOffset
        self.fieldCount = ends.count
        self.storage = [UInt8](unsafeUninitializedCapacity: endsOffset + 4 * ends.count) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            if let source = text.baseAddress { base.update(from: source, count: text.count) }
            (base + text.count).initialize(repeating: 0, count: endsOffset - text.count)
            let raw = UnsafeMutableRawPointer(base + endsOffset)
            for (index, end) in ends.enumerated() { raw.storeBytes(of: UInt32(truncatingIfNeeded: end), toByteOffset: 4 * index, as: UInt32.self) }
            initialized = endsOffset + 4 * ends.count
        }
        self.attributes = attributes.contains { !$0.parameters.isEmpty || $0.group != nil } ? attributes : []
        self.notes = notes
    }

    /// Where value `index` ends in `all`, the storage.
    @inlinable func end(of index: Int, in all: UnsafeBufferPointer<UInt8>) -> Int {
        Int(UnsafeRawBufferPointer(all).load(fromByteOffset: endsOffset + 4 * index, as: UInt32.self))
    }

    /// The value of field `index`.
    @inlinable public func value(at index: Int) -> String {
        storage.withUnsafeBufferPointer { all in
            let start = index == 0 ? 0 : end(of: index - 1, in: all) + 1
            return String(decoding: UnsafeBufferPointer(rebasing: all[start..<end(of: index, in: all)]), as: UTF8.self)
        }
    }

    /// Calls `body` with each value's UTF-8 in turn, without making strings: for readers of every field,
    /// such as `inspect`, where a string per value would cost more than the reading.
    @inlinable public func forEachValue(_ body: (_ index: Int, _ utf8: UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        try storage.withUnsafeBufferPointer { all in
            var start = 0
            for index in 0..<fieldCount {
                let end = end(of: index, in: all)
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
