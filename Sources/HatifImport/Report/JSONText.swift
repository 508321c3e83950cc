/// Small JSON writing for the line-oriented outputs (rejects, results): faster than
/// `JSONSerialization` for flat objects, and with a stable key order.
enum JSONText {
    /// `{"key":"value",…}` with keys in the given order.
    static func object(_ pairs: [(String, String)]) -> String {
        var text = "{"
        text.reserveCapacity(pairs.reduce(2) { $0 + $1.0.utf8.count + $1.1.utf8.count + 6 })
        for (index, pair) in pairs.enumerated() {
            if index > 0 { text += "," }
            appendLiteral(pair.0, forYAML: false, to: &text)
            text += ":"
            appendLiteral(pair.1, forYAML: false, to: &text)
        }
        text += "}"
        return text
    }

    /// A JSON string literal.
    static func quoted(_ value: String) -> String { literal(value, forYAML: false) }

    /// Appends the JSON string literal of `value` (what ``quoted(_:)`` returns) to `bytes`.
    static func appendQuoted(_ value: String, to bytes: inout [UInt8]) {
        var value = value
        value.withUTF8 { appendLiteral($0, doublingQuotes: false, to: &bytes) }
    }

    /// Appends the JSON string literal of `utf8` (what ``quoted(_:)`` returns for its text) to `bytes`, as
    /// ``writeLiteral(_:doublingQuotes:to:)`` writes it.
    static func appendLiteral(_ utf8: UnsafeBufferPointer<UInt8>, doublingQuotes: Bool, to bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: literalBound(utf8.count)) { room in
            guard let base = room.baseAddress else { return }
            bytes.append(contentsOf: UnsafeBufferPointer(start: base, count: writeLiteral(utf8, doublingQuotes: doublingQuotes, to: base)))
        }
    }

    /// The most bytes ``writeLiteral(_:doublingQuotes:to:)`` writes for `count` bytes of text: a byte
    /// below 0x20 becomes six (`\u001f`), and the quotes around it four when doubled.
    @inline(__always)
    static func literalBound(_ count: Int) -> Int { 6 * count + 4 }

    /// Writes the JSON string literal of `utf8` at `out`, which has room for ``literalBound(_:)`` bytes, and
    /// returns how many it wrote: `"`, `\` and bytes below 0x20 are escaped (a byte below 0x20 is always a
    /// whole scalar in UTF-8, so this is the scalar-by-scalar escape of ``quoted(_:)``), every other byte is
    /// copied. With `doublingQuotes`, every `"` written is written twice, for a quoted CSV cell.
    ///
    /// Through a pointer rather than appending to an array: `rejects.csv` writes every value of every
    /// rejected record here, and each append checked the array's capacity and uniqueness (2026-12-04: the
    /// reject rows were 16% of a `validate` of a CSV file with 22% rejects).
    @inline(__always)
    static func writeLiteral(_ utf8: UnsafeBufferPointer<UInt8>, doublingQuotes: Bool, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var count = 0
        @inline(__always) func put(_ byte: UInt8) {
            out[count] = byte
            count += 1
        }
        @inline(__always) func quote() {
            put(0x22)
            if doublingQuotes { put(0x22) }
        }
        quote()
        for byte in utf8 {
            if byte >= 0x20 && byte != 0x22 && byte != 0x5C {
                put(byte)
                continue
            }
            put(0x5C)
            switch byte {
            case 0x22: quote()
            case 0x5C: put(0x5C)
            case 0x0A: put(0x6E)
            case 0x0D: put(0x72)
            case 0x09: put(0x74)
            default:
                // `\u001f`: lower-case hex, as `String(_:radix:)` writes it.
                let digits: StaticString = "0123456789abcdef"
                put(0x75)
                put(0x30)
                put(0x30)
                put(digits.utf8Start[Int(byte >> 4)])
                put(digits.utf8Start[Int(byte & 0x0F)])
            }
        }
        quote()
        return count
    }

    /// Appends the literal of `value`, or `null`.
    static func appendQuotedOrNull(_ value: String?, to bytes: inout [UInt8]) {
        if let value { appendQuoted(value, to: &bytes) } else { bytes.append(contentsOf: "null".utf8) }
    }

    /// Appends the literals of `values`, apart by commas.
    static func appendQuoted(_ values: [String], to bytes: inout [UInt8]) {
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(0x2C) }
            appendQuoted(value, to: &bytes)
        }
    }

    /// Appends the UTF-8 of `values`, apart by `separator`, to `bytes` (what `joined(separator:)` makes).
    static func append(_ values: [String], separator: String, to bytes: inout [UInt8]) {
        for (index, value) in values.enumerated() {
            if index > 0 { append(separator, to: &bytes) }
            append(value, to: &bytes)
        }
    }

    /// Appends `value`'s UTF-8 to `bytes`.
    static func append(_ value: String, to bytes: inout [UInt8]) {
        var value = value
        value.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Appends `value` in decimal to `bytes`.
    static func append(_ value: Int, to bytes: inout [UInt8]) {
        guard value >= 0 else { return append(String(value), to: &bytes) }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for Int.max's 19 digits
        withUnsafeMutableBytes(of: &digits) { buffer in
            var index = buffer.count
            var rest = value
            repeat {
                index -= 1
                buffer[index] = UInt8(truncatingIfNeeded: 0x30 + rest % 10)
                rest /= 10
            } while rest > 0
            bytes.append(contentsOf: buffer[index...])
        }
    }

    /// A JSON string literal that is also a YAML double-quoted scalar libyaml reads back exactly: DEL, the
    /// C1 controls (NEL among them, a line break to YAML 1.1), the Unicode line and paragraph separators
    /// and the noncharacters U+FFFE/U+FFFF are escaped too.
    static func yamlQuoted(_ value: String) -> String { literal(value, forYAML: true) }

    private static func literal(_ value: String, forYAML: Bool) -> String {
        var text = ""
        appendLiteral(value, forYAML: forYAML, to: &text)
        return text
    }

    /// Appends the literal of `value` to `text`: the value as it is between quotes when none of its bytes
    /// needs an escape (nearly every value: the rejects of a large file write millions), else scalar by scalar.
    private static func appendLiteral(_ value: String, forYAML: Bool, to text: inout String) {
        // Bytes below 0x20, `"` and `\`; for YAML also DEL and every non-ASCII byte (the slow path then
        // sorts out the few scalars that need it).
        let plain = !value.utf8.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || (forYAML && $0 >= 0x7F) }
        text += "\""
        if plain {
            text += value
            text += "\""
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case let control where control.value < 0x20: text += escaped(control)
            case let other
            where forYAML
                && ((0x7F...0x9F).contains(other.value) || other.value == 0x2028 || other.value == 0x2029
                    || (0xFFFE...0xFFFF).contains(other.value)):
                text += escaped(other)
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }

    /// `\u001f`.
    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
