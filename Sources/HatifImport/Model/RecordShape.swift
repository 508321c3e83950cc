/// What the records of one layout of one file share: the file's name, the field names, and the fields'
/// parameters and groups. A record holds its shape by one reference, so making, copying and freeing a
/// record counts one reference for all three.
final class RecordShape: Sendable {
    /// Keeps the fields below off the cache line of the object's reference count. The reading task counts
    /// a reference for every record it makes while the mapping tasks read `file` for every reject (its
    /// location), and each such read took the line from the reading core (2026-12-04, two-core `validate` of
    /// a CSV file with 22% rejects: the reading task's count was 4.2 and 5.7% of the CPU in two runs without
    /// the padding, 0.5 and 0.6% with it).
    /// The count sits 8 bytes into the object, whose start is 16-byte aligned; the fields start 80 bytes in.
    private let padding: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)

    /// The file as the user named it.
    let file: String
    /// The field names, in file order.
    let names: [String]
    /// Parameters and groups aligned with the names, or empty when no field has any.
    let attributes: [SourceRecord.Attributes]

    /// How strongly each field's parameters prefer its value (``SourceRecord/Attributes/preference``),
    /// aligned with the names; empty when no field is marked preferred, as in every CSV and XML file and
    /// most vCards.
    let preferences: [UInt8]

    /// Creates a shape; `attributes` are aligned with `names` or empty, and kept only when a field has some.
    init(file: String, names: [String], attributes: [SourceRecord.Attributes] = []) {
        self.file = file
        self.names = names
        self.attributes = attributes.contains { !$0.parameters.isEmpty || $0.group != nil } ? attributes : []
        let marked = self.attributes.contains { $0.preference < SourceRecord.Attributes.unmarked }
        preferences = marked ? self.attributes.map(\.preference) : []
    }

    /// The positions of the first mapping that mapped a record of this shape (``ShapePositions``). Made by
    /// a mapper, not by the reader: most shapes of a vCard file are made for a few cards, and a table made
    /// with each cost the reader 5%.
    let positions = KeptOnce<ShapePositions>()
    /// The field names as `rejects.csv` writes them (``OriginalKeys``), made by the first reject of the shape.
    let rejectKeys = KeptOnce<OriginalKeys.Table>()

    /// Whether both describe the same fields of the same file.
    func sameFields(as other: RecordShape) -> Bool {
        self === other || (file == other.file && names == other.names && attributes == other.attributes)
    }
}
