/// One record read from an input file: its place, and its fields in file order.
///
/// A name may occur more than once (a vCard with two `TEL`s, an XML record with two `phone` elements,
/// a CSV with a repeated header): each occurrence is its own field, in order.
public struct SourceRecord: Sendable, Hashable {
    /// 1-based position of the record in its file (rejects included).
    public var ordinal: Int
    /// Where it starts.
    public var location: SourceLocation
    /// The fields, in file order.
    public var fields: [SourceField]
    /// What a lenient reader let pass in this record (e.g. a stray quote), for the report.
    public var notes: [String]

    /// Creates a record.
    public init(ordinal: Int, location: SourceLocation, fields: [SourceField], notes: [String] = []) {
        self.ordinal = ordinal
        self.location = location
        self.fields = fields
        self.notes = notes
    }

    /// Every value of the fields named `name`, in order.
    public func values(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }

    /// The first value of the field named `name`.
    public func first(_ name: String) -> String? { fields.first { $0.name == name }?.value }
}
