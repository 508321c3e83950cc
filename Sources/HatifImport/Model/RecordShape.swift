/// What the records of one layout of one file share: the file's name, the field names, and the fields'
/// parameters and groups. A record holds its shape by one reference, so making, copying and freeing a
/// record counts one reference for all three.
final class RecordShape: Sendable {
    /// The file as the user named it.
    let file: String
    /// The field names, in file order.
    let names: [String]
    /// Parameters and groups aligned with the names, or empty when no field has any.
    let attributes: [SourceRecord.Attributes]

    /// Creates a shape; `attributes` are aligned with `names` or empty, and kept only when a field has some.
    init(file: String, names: [String], attributes: [SourceRecord.Attributes] = []) {
        self.file = file
        self.names = names
        self.attributes = attributes.contains { !$0.parameters.isEmpty || $0.group != nil } ? attributes : []
    }

    /// Whether both describe the same fields of the same file.
    func sameFields(as other: RecordShape) -> Bool {
        self === other || (file == other.file && names == other.names && attributes == other.attributes)
    }
}
