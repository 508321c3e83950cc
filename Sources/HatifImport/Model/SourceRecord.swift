/// One record read from an input file: its place, and its fields in file order.
///
/// A name may occur more than once (a vCard with two `TEL`s, an XML record with two `phone` elements,
/// a CSV with a repeated header): each occurrence is its own field, in order.
///
/// The readers' hot path shapes the storage: the values' UTF-8 (checked by the reader) sits in one buffer,
/// one ASCII separator byte between two values, followed by where each value ends, so a record costs one
/// allocation however many fields it has (as a `StringRecord` of Rust's `csv` does) and a CSV line without
/// quotes is copied as it is; the records of one CSV file share a single names array (the header). A
/// value becomes a `String` when asked for; ``forEachValue(_:)`` reads them all without one. The notes and
/// the record's ``RecordShape`` (file name, field names and attributes, shared by the records of a layout)
/// sit in that same allocation (``RecordStorage``), so a copy of a record counts a single reference; it is
/// `Sendable` because that storage never changes once made.
public struct SourceRecord: @unchecked Sendable, Hashable {
    /// Parameters and group of one field, for formats that have them.
    struct Attributes: Sendable, Hashable {
        let parameters: [String: [String]]
        let group: String?
        /// How strongly the parameters prefer the value, lower first: `PREF=n` (vCard 4.0, 1 to 100) is n, a
        /// `PREF` that is not such a number 100, `TYPE=pref` (3.0) or a bare `PREF` (2.1, read as a type) 1,
        /// and a value with neither ``unmarked``. Worked out once per vCard head here, not for every record
        /// layout made of it.
        let preference: UInt8

        /// The preference of a value without a mark: after every marked one.
        static let unmarked: UInt8 = 101

        init(parameters: [String: [String]], group: String?) {
            self.parameters = parameters
            self.group = group
            preference = Self.preference(parameters)
        }

        private static func preference(_ parameters: [String: [String]]) -> UInt8 {
            guard !parameters.isEmpty else { return unmarked }
            if let rank = parameters["PREF"]?.first {
                guard let number = UInt8(rank.trimmedSpaces()), (1...100).contains(number) else { return 100 }
                return number
            }
            return parameters["TYPE"]?.contains("PREF") == true ? 1 : unmarked
        }
    }

    /// 1-based position of the record in its file (rejects included).
    public let ordinal: Int
    private let line: Int
    private let byteOffset: Int64
    /// Shape, notes, and every value's UTF-8, one ASCII separator byte between two values
    /// (well-formed), then, from `endsOffset`, where each value ends as a 32-bit count; the next value
    /// starts one byte later.
    @usableFromInline let storage: RecordStorage

    /// Where it starts.
    public var location: SourceLocation { SourceLocation(file: storage.shape.file, line: line, byteOffset: byteOffset) }
    /// The field names, in file order.
    public var fieldNames: [String] { storage.shape.names }
    /// The file, names and attributes it shares with the records of its layout.
    var shape: RecordShape { storage.shape }
    /// `body` of the record's shape, without counting a reference to it.
    ///
    /// The records of a file share one shape, whose count the reading task changes for every record it
    /// makes and frees. A mapping task that also counted it moved that count between the cores for every
    /// record (2026-12-04: 2 to 3% of a two-core `validate` of a CSV file went to the reading task's count
    /// alone, 0.5% when only that task counts).
    @inline(__always)
    func withShape<Result>(_ body: (RecordShape) -> Result) -> Result { storage.withShape(body) }
    /// The identity of the record's shape, told without counting a reference to it.
    var shapeIdentifier: ObjectIdentifier { withShape { ObjectIdentifier($0) } }
    /// No fewer bytes than its values take together, separators included.
    var valueBytesBound: Int { storage.endsOffset }
    /// How many fields the record has.
    public var fieldCount: Int { storage.fieldCount }
    /// What a lenient reader let pass in this record (e.g. a stray quote), for the report.
    public var notes: [String] { storage.notes }
    /// Parameters and groups aligned with the names, or empty when no field has any.
    private var attributes: [Attributes] { storage.shape.attributes }

    /// Creates a record from fields.
    public init(ordinal: Int, location: SourceLocation, fields: [SourceField], notes: [String] = []) {
        let values = RecordValues(fields: fields.count, bytes: fields.reduce(0) { $0 + $1.value.utf8.count })
        for field in fields { values.append(field.value) }
        self.init(
            ordinal: ordinal, location: location, names: fields.map(\.name), values: values,
            attributes: fields.map { Attributes(parameters: $0.parameters, group: $0.group) }, notes: notes)
    }

    /// Creates a record from parallel names and values (the names array may be shared between records).
    public init(ordinal: Int, location: SourceLocation, names: [String], values: [String], notes: [String] = []) {
        precondition(names.count == values.count, "one value per name")
        let gathered = RecordValues(fields: values.count, bytes: values.reduce(0) { $0 + $1.utf8.count })
        for value in values { gathered.append(value) }
        self.init(ordinal: ordinal, location: location, names: names, values: gathered, attributes: [], notes: notes)
    }

    /// Creates a record from names, the values a reader gathered (well-formed UTF-8), and attributes
    /// aligned with the names or empty (the shape keeps them only when a field has some).
    init(ordinal: Int, location: SourceLocation, names: [String], values: RecordValues, attributes: [Attributes], notes: [String]) {
        self.init(
            ordinal: ordinal, shape: RecordShape(file: location.file, names: names, attributes: attributes), line: location.line,
            byteOffset: location.byteOffset, utf8: values.utf8.buffer, ends: values.ends.buffer, notes: notes)
    }

    /// Creates a record of `shape` (its file, names and attributes), starting at `line` and `byteOffset`,
    /// from the values' well-formed UTF-8 laid out as in ``RecordValues`` and where each value ends in it;
    /// kept in the record's one allocation.
    init(
        ordinal: Int, shape: RecordShape, line: Int, byteOffset: Int64, utf8 text: UnsafeBufferPointer<UInt8>,
        ends: UnsafeBufferPointer<Int>, notes: [String]
    ) {
        precondition(shape.names.count == ends.count, "one value per name")
        self.ordinal = ordinal
        self.line = line
        self.byteOffset = byteOffset
        self.storage = RecordStorage.make(shape: shape, notes: notes, text: text, ends: ends)
    }

    public static func == (left: SourceRecord, right: SourceRecord) -> Bool {
        guard left.ordinal == right.ordinal, left.line == right.line, left.byteOffset == right.byteOffset else { return false }
        if left.storage === right.storage { return true }
        return left.shape.sameFields(as: right.shape) && left.notes == right.notes
            && left.storage.withBytes { mine in right.storage.withBytes { theirs in mine.elementsEqual(theirs) } }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ordinal)
        hasher.combine(line)
        hasher.combine(byteOffset)
        hasher.combine(storage.shape.names)
        storage.withBytes { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Where value `index` ends in `all`, the storage.
    @inlinable func end(of index: Int, in all: UnsafeBufferPointer<UInt8>) -> Int {
        Int(UnsafeRawBufferPointer(all).load(fromByteOffset: storage.endsOffset + 4 * index, as: UInt32.self))
    }

    /// The value of field `index`.
    @inlinable public func value(at index: Int) -> String {
        storage.withBytes { all in
            let start = index == 0 ? 0 : end(of: index - 1, in: all) + 1
            return String(decoding: UnsafeBufferPointer(rebasing: all[start..<end(of: index, in: all)]), as: UTF8.self)
        }
    }

    /// Calls `body` with each value's UTF-8 in turn, without making strings: for readers of every field,
    /// such as `inspect`, where a string per value would cost more than the reading.
    @inlinable public func forEachValue(_ body: (_ index: Int, _ utf8: UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        try storage.withBytes { all in
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
        // A loop over the names: the mapper, which looks fields up in every record, keeps their positions
        // per shape itself (`SourcePositions`); a table in each shape cost the vCard reader 5% of its reading.
        let names = fieldNames
        var values: [String] = []
        for index in names.indices where names[index] == name { values.append(value(at: index)) }
        return values
    }

    /// The first value of the field named `name`.
    public func first(_ name: String) -> String? {
        fieldNames.firstIndex(of: name).map(value(at:))
    }
}
