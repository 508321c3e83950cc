/// Writing vCard text: value escaping and line folding (RFC 6350 §3.2, §3.4), shared by the bulk-create
/// encoder and the sample writer.
enum VCardText {
    /// Escapes `\`, `,`, `;` and line breaks in a text value.
    static func escape(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x5C || $0 == 0x2C || $0 == 0x3B || $0 == 0x0A || $0 == 0x0D }) else { return value }
        var result = ""
        result.reserveCapacity(value.utf8.count + 8)
        for character in value {
            switch character {
            case "\\": result += "\\\\"
            case ",": result += "\\,"
            case ";": result += "\\;"
            case "\n", "\r\n", "\r": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }

    /// Folds a content line at 75 octets (CRLF and a space) without splitting a UTF-8 sequence.
    static func fold(_ line: String) -> String {
        guard line.utf8.count > 75 else { return line }
        var output: [UInt8] = []
        appendFolded(line, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends ``fold(_:)`` of `line` to `output`.
    static func appendFolded(_ line: String, to output: inout [UInt8]) {
        var line = line
        line.withUTF8 { bytes in
            guard bytes.count > 75 else { return output.append(contentsOf: bytes) }
            output.reserveCapacity(output.count + bytes.count + bytes.count / 25)
            var lineLength = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                let width = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
                if lineLength + width > 75 {
                    output += [0x0D, 0x0A, 0x20]
                    lineLength = 1
                }
                output += bytes[index..<min(bytes.count, index + width)]
                lineLength += width
                index += width
            }
        }
    }
}
