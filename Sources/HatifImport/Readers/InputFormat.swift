/// The kinds of input file the importer reads.
public enum InputFormat: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
    case csv, vcf, xml

    public var description: String {
        switch self {
        case .csv: "CSV"
        case .vcf: "vCard"
        case .xml: "XML"
        }
    }

    /// The format of `path`: from its extension, else from its first bytes.
    public static func detect(path: String) throws(ReaderError) -> InputFormat {
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") || lower.hasSuffix(".txt") { return .csv }
        if lower.hasSuffix(".vcf") || lower.hasSuffix(".vcard") { return .vcf }
        if lower.hasSuffix(".xml") { return .xml }
        var head: [UInt8] = []
        _ = try InputFile(path: path).read(at: 0, count: 4096, into: &head)
        var text = head[...]
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { text = text.dropFirst(3) }
        text = text.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        if String(decoding: text.prefix(11), as: UTF8.self).uppercased() == "BEGIN:VCARD" { return .vcf }
        if text.first == UInt8(ascii: "<") { return .xml }
        return .csv
    }
}
