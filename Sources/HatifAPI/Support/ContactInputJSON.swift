/// Writes a ``ContactInput`` as JSON, byte for byte as the generated client does (`JSONEncoder` with sorted
/// keys and unescaped slashes), at a fraction of the cost: Update Contact is most of an import's calls.
enum ContactInputJSON {
    /// The JSON of `input`.
    static func encode(_ input: ContactInput) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128)
        out.append(UInt8(ascii: "{"))
        var first = true
        func key(_ name: StaticString) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        }
        // Keys in the order JSONEncoder's .sortedKeys gives.
        if let email = input.email { key("Email"); string(email, into: &out) }
        if let firstName = input.firstName { key("FirstName"); string(firstName, into: &out) }
        if let lastName = input.lastName { key("LastName"); string(lastName, into: &out) }
        if let phoneNumber = input.phoneNumber { key("PhoneNumber"); string(phoneNumber, into: &out) }
        if let properties = input.properties {
            key("Properties")
            out.append(UInt8(ascii: "["))
            for (index, property) in properties.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: #"{"Name":"#.utf8)
                string(property.name, into: &out)
                out.append(contentsOf: #","Value":"#.utf8)
                string(property.value, into: &out)
                out.append(UInt8(ascii: "}"))
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// `text` as a JSON string: `"` and `\` escaped, control characters as JSONEncoder writes them, the rest
    /// (slashes and non-ASCII included) as they are.
    static func string(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                start = index + 1
                switch byte {
                case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
                case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
                case 0x08: out.append(contentsOf: #"\b"#.utf8)
                case 0x09: out.append(contentsOf: #"\t"#.utf8)
                case 0x0A: out.append(contentsOf: #"\n"#.utf8)
                case 0x0C: out.append(contentsOf: #"\f"#.utf8)
                case 0x0D: out.append(contentsOf: #"\r"#.utf8)
                default:
                    out.append(contentsOf: #"\u00"#.utf8)
                    out.append(hexDigits[Int(byte >> 4)])
                    out.append(hexDigits[Int(byte & 0x0F)])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        out.append(UInt8(ascii: "\""))
    }
}
