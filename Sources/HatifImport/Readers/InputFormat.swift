/// The kinds of input file the importer reads.
public enum InputFormat: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
    case csv, vcf, xml, xlsx

    public var description: String {
        switch self {
        case .csv: "CSV"
        case .vcf: "vCard"
        case .xml: "XML"
        case .xlsx: "XLSX"
        }
    }

    /// The format of the input `path` names (``InputName``): from its extension (a .gz's or an archive
    /// entry's own), else from its first bytes.
    public static func detect(path: String) throws(ReaderError) -> InputFormat {
        if let format = fromName(InputName(path).formatName) { return format }
        var head: [UInt8] = []
        _ = try InputFile(path: path).read(at: 0, count: 4096, into: &head)
        // A workbook is a zip archive: a local file header first.
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .xlsx }
        var text = head[...]
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { text = text.dropFirst(3) }
        text = text.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        if String(decoding: text.prefix(11), as: UTF8.self).uppercased() == "BEGIN:VCARD" { return .vcf }
        if text.first == UInt8(ascii: "<") { return .xml }
        return .csv
    }

    /// The format a file name's extension says, if it says one.
    static func fromName(_ name: String) -> InputFormat? {
        let lower = name.lowercased()
        if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") || lower.hasSuffix(".txt") { return .csv }
        if lower.hasSuffix(".vcf") || lower.hasSuffix(".vcard") { return .vcf }
        if lower.hasSuffix(".xml") { return .xml }
        if lower.hasSuffix(".xlsx") || lower.hasSuffix(".xlsm") { return .xlsx }
        return nil
    }
}
