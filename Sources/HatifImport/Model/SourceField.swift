/// One named value of a source record, with the parameters its format gave it (vCard `TYPE`, …).
public struct SourceField: Sendable, Hashable, Codable {
    /// The field's name: a CSV header, a vCard property (`TEL`, `N.given`), or an XML path (`address/city`, `@id`).
    public var name: String
    /// The value, decoded to text.
    public var value: String
    /// Parameters by upper-cased name, each with its values in order (`TYPE` → `["CELL", "VOICE"]`).
    public var parameters: [String: [String]]
    /// The vCard property group (`item1` of `item1.TEL`), if any.
    public var group: String?

    /// Creates a field.
    public init(name: String, value: String, parameters: [String: [String]] = [:], group: String? = nil) {
        self.name = name
        self.value = value
        self.parameters = parameters
        self.group = group
    }

    /// The values of parameter `name` (case-insensitive), upper-cased for comparison.
    public func parameter(_ name: String) -> [String] { parameters[name.uppercased()] ?? [] }
}
