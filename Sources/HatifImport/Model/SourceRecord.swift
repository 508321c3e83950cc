/// One record read from an input file: its place, and its fields in file order.
///
/// A name may occur more than once (a vCard with two `TEL`s, an XML record with two `phone` elements,
/// a CSV with a repeated header): each occurrence is its own field, in order.
///
/// Names and values are kept in two parallel arrays so that records of one CSV file share a single
/// names array (the header) instead of holding a copy of every name: the readers' hot path.
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
    /// The field values, one per name.
    public private(set) var fieldValues: [String]
    /// Parameters and groups aligned with the names, or empty when no field has any.
    private var attributes: [Attributes]
    /// What a lenient reader let pass in this record (e.g. a stray quote), for the report.
    public var notes: [String]

    /// Creates a record from fields.
    public init(ordinal: Int, location: SourceLocation, fields: [SourceField], notes: [String] = []) {
        self.ordinal = ordinal
        self.location = location
        self.fieldNames = fields.map(\.name)
        self.fieldValues = fields.map(\.value)
        self.attributes =
            fields.contains { !$0.parameters.isEmpty || $0.group != nil }
            ? fields.map { Attributes(parameters: $0.parameters, group: $0.group) } : []
        self.notes = notes
    }

    /// Creates a record from parallel names and values (the names array may be shared between records).
    public init(ordinal: Int, location: SourceLocation, names: [String], values: [String], notes: [String] = []) {
        precondition(names.count == values.count, "one value per name")
        self.ordinal = ordinal
        self.location = location
        self.fieldNames = names
        self.fieldValues = values
        self.attributes = []
        self.notes = notes
    }

    /// Creates a record from parallel names, values and attributes (empty when no field has any).
    init(ordinal: Int, location: SourceLocation, names: [String], values: [String], attributes: [Attributes], notes: [String]) {
        self.init(ordinal: ordinal, location: location, names: names, values: values, notes: notes)
        self.attributes = attributes.contains { !$0.parameters.isEmpty || $0.group != nil } ? attributes : []
    }

    /// The fields, in file order.
    public var fields: [SourceField] {
        fieldNames.indices.map { index in
            let extra = attributes.isEmpty ? nil : attributes[index]
            return SourceField(
                name: fieldNames[index], value: fieldValues[index], parameters: extra?.parameters ?? [:], group: extra?.group)
        }
    }

    /// Every value of the fields named `name`, in order.
    public func values(_ name: String) -> [String] {
        fieldNames.indices.filter { fieldNames[$0] == name }.map { fieldValues[$0] }
    }

    /// The first value of the field named `name`.
    public func first(_ name: String) -> String? {
        fieldNames.firstIndex(of: name).map { fieldValues[$0] }
    }
}
