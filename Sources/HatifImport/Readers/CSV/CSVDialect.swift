/// What a CSV file turned out to be: encoding, separator, and what was guessed.
public struct CSVDialect: Sendable, Equatable {
    /// The encoding used to read it.
    public var encoding: TextEncoding
    /// Bytes of byte-order mark at the start of the file (skipped).
    public var byteOrderMarkLength: Int
    /// The field separator.
    public var delimiter: UInt8
    /// Whether the file starts with Excel's `sep=X` line, which names the separator and is no record (nor
    /// the header).
    public var hasSeparatorLine: Bool
    /// Things worth telling the user (e.g. "not valid UTF-8, read as Windows-1252").
    public var notices: [String]

    /// Detects the dialect from the start of `file` (at most 1 MiB is looked at).
    static func detect(_ file: InputFile, options: CSVOptions) throws(ReaderError) -> CSVDialect {
        var sample: [UInt8] = []
        _ = try file.read(at: 0, count: 1 << 20, into: &sample)
        var notices: [String] = []
        var bom = 0
        var encoding: TextEncoding
        if sample.starts(with: [0xEF, 0xBB, 0xBF]) {
            encoding = .utf8
            bom = 3
        } else if let utf16 = TextEncoding.utf16(sniffing: sample) {
            (encoding, bom) = utf16
        } else if let invalidAt = Self.firstInvalidUTF8(sample) {
            encoding = .windows1252
            if options.encoding == nil {
                notices.append("not valid UTF-8 (byte \(invalidAt)); read as Windows-1252 — pass --encoding to choose another")
            }
        } else {
            encoding = .utf8
        }
        if let chosen = options.encoding {
            if chosen != encoding && bom > 0 && chosen.unitWidth != encoding.unitWidth { bom = 0 }
            encoding = chosen
        }
        if sample.dropFirst(bom).prefix(8192).contains(0) && encoding.unitWidth == 1 {
            throw .notText(path: file.path, reason: "it holds NUL bytes")
        }
        let text: [UInt8]
        if encoding == .utf8 {
            text = Array(sample.dropFirst(bom))
        } else {
            text = Array((encoding.decode(sample.dropFirst(bom)) ?? "").utf8)
        }
        let declared = Self.separatorLine(text)
        if let declared {
            notices.append("the first line, sep=\(String(decoding: [declared], as: UTF8.self)), names the delimiter and is skipped")
        }
        let delimiter = options.delimiter ?? declared ?? Self.sniffDelimiter(text)
        return CSVDialect(
            encoding: encoding, byteOrderMarkLength: bom, delimiter: delimiter, hasSeparatorLine: declared != nil, notices: notices)
    }

    /// The separator that Excel's first line `sep=X` names (`"sep=X"` quoted too, any case), if `text`
    /// starts with one: X is one ASCII character, and the line holds nothing else.
    static func separatorLine(_ text: [UInt8]) -> UInt8? {
        var index = text.first == UInt8(ascii: "\"") ? 1 : 0
        let quoted = index == 1
        let keyword = Array("sep=".utf8)
        guard text.count >= index + keyword.count + 1 else { return nil }
        for byte in keyword {
            // `S`, `E` and `P` in either case; `=` as it is.
            guard (byte == UInt8(ascii: "=") ? text[index] : text[index] | 0x20) == byte else { return nil }
            index += 1
        }
        let separator = text[index]
        guard separator < 0x80, separator != 0x0A, separator != 0x0D, separator != UInt8(ascii: "\"") else { return nil }
        index += 1
        if quoted {
            guard index < text.count, text[index] == UInt8(ascii: "\"") else { return nil }
            index += 1
        }
        guard index == text.count || text[index] == 0x0A || text[index] == 0x0D else { return nil }
        return separator
    }

    static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]

    /// The candidate that splits the first lines into the same, largest number of fields: the count most
    /// lines share, so that a title or notes before the table (``TablePreamble``) do not
    /// decide it.
    static func sniffDelimiter(_ text: [UInt8]) -> UInt8 {
        var lines: [[Int]] = []
        var counts = [Int](repeating: 0, count: candidates.count)
        var quoted = false
        var lineHasContent = false
        for byte in text.prefix(256 * 1024) {
            if byte == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if !quoted && (byte == 0x0A || byte == 0x0D) {
                if lineHasContent { lines.append(counts) }
                counts = [Int](repeating: 0, count: candidates.count)
                lineHasContent = false
                if lines.count >= 50 { break }
                continue
            } else if !quoted, let index = candidates.firstIndex(of: byte) {
                counts[index] += 1
            }
            lineHasContent = true
        }
        if lineHasContent { lines.append(counts) }
        var best = (index: 0, score: -1.0)
        for index in candidates.indices {
            let perLine = lines.map { $0[index] }
            var tally: [Int: Int] = [:]
            for count in perLine where count > 0 { tally[count, default: 0] += 1 }
            // The count most lines share; of two as common, the first line's, else the larger.
            guard let common = tally.max(by: { ($0.value, $0.key == perLine.first ? 1 : 0, $0.key) < ($1.value, $1.key == perLine.first ? 1 : 0, $1.key) })
            else { continue }
            let consistent = Double(common.value) / Double(perLine.count)
            let score = consistent * 1000 + Double(min(common.key, 999))
            if score > best.score { best = (index, score) }
        }
        return candidates[best.index]
    }

    /// The offset of the first byte that breaks UTF-8, ignoring a sequence cut by the end of the sample.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { UTF8Text.firstInvalidIndex($0, allowingCutEnd: true) }
    }
}
