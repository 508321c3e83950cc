/// Writes a ``SearchContactsInput`` as JSON, byte for byte as the generated client does (`JSONEncoder` with
/// sorted keys and unescaped slashes): a run's lookups send up to 500 key values a search, and
/// `JSONEncoder` spent more on them than on the rest of the search.
enum SearchContactsInputJSON {
    /// The JSON of `input`.
    static func encode(_ input: SearchContactsInput) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + 48 * input.filterGroups.reduce(0) { $0 + $1.filters.count })
        // Keys in the order JSONEncoder's .sortedKeys gives.
        out.append(contentsOf: #"{"FilterGroups":["#.utf8)
        for (index, group) in input.filterGroups.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"Filters":["#.utf8)
            for (index, filter) in group.filters.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                append(filter, to: &out)
            }
            out.append(contentsOf: "]}".utf8)
        }
        out.append(UInt8(ascii: "]"))
        if let maxResultCount = input.maxResultCount { out.append(contentsOf: #","MaxResultCount":\#(maxResultCount)"#.utf8) }
        if let skipCount = input.skipCount { out.append(contentsOf: #","SkipCount":\#(skipCount)"#.utf8) }
        out.append(UInt8(ascii: "}"))
        return out
    }

    private static func append(_ filter: Components.Schemas.SearchFilter, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"Field":"#.utf8)
        ContactInputJSON.string(filter.field, into: &out)
        out.append(contentsOf: #","Operator":"#.utf8)
        ContactInputJSON.string(filter._operator.rawValue, into: &out)
        if let value = filter.value {
            out.append(contentsOf: #","Value":"#.utf8)
            ContactInputJSON.string(value, into: &out)
        }
        if let values = filter.values {
            out.append(contentsOf: #","Values":["#.utf8)
            for (index, value) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                ContactInputJSON.string(value, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "}"))
    }
}
