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

    /// How strongly each field's parameters prefer its value (``preference(_:)``), aligned with the names;
    /// empty when no field is marked preferred, as in every CSV and XML file and most vCards.
    let preferences: [UInt8]

    /// Creates a shape; `attributes` are aligned with `names` or empty, and kept only when a field has some.
    init(file: String, names: [String], attributes: [SourceRecord.Attributes] = []) {
        self.file = file
        self.names = names
        self.attributes = attributes.contains { !$0.parameters.isEmpty || $0.group != nil } ? attributes : []
        let marked = self.attributes.contains { $0.preference < Self.unmarked }
        preferences = marked ? self.attributes.map(\.preference) : []
    }

    /// The preference of a value without a mark: after every marked one.
    static let unmarked: UInt8 = 101

    /// How strongly a vCard value's `parameters` prefer it, lower first: `PREF=n` (4.0, 1 to 100) is n, a
    /// `PREF` that is not such a number 100, `TYPE=pref` (3.0) or a bare `PREF` (2.1, read as a type) 1, and
    /// a value with neither ``unmarked``.
    static func preference(_ parameters: [String: [String]]) -> UInt8 {
        guard !parameters.isEmpty else { return unmarked }
        if let rank = parameters["PREF"]?.first {
            guard let number = UInt8(rank.trimmedSpaces()), (1...100).contains(number) else { return 100 }
            return number
        }
        return parameters["TYPE"]?.contains("PREF") == true ? 1 : unmarked
    }

    /// Whether both describe the same fields of the same file.
    func sameFields(as other: RecordShape) -> Bool {
        self === other || (file == other.file && names == other.names && attributes == other.attributes)
    }
}
