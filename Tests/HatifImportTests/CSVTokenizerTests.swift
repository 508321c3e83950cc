import HatifAPI
import Foundation
import Testing

@testable import HatifImport

@Suite("CSV tokenizer")
struct CSVTokenizerTests {
    /// What a test compares of one raw record.
    private struct Token: Equatable {
        var fields: [[UInt8]]
        var line: Int
        var offset: Int64
        var flags: [Bool]
        var oversizedField: Int?
        var resync: Int64?
    }

    /// Messy CSV: quoted fields with `""`, delimiters and line breaks, stray quotes, text after quotes,
    /// empty, long and non-ASCII fields, ragged and over-wide rows, blank lines, CR, LF and CRLF.
    private static func messyCSV(lines: Int, seed: UInt64) -> [UInt8] {
        var random = SeededGenerator(seed: seed)
        let pieces: [String] = [
            "", "a", "Sara", "Al-Harbi", "+966 50 011 1222", "محمد", "Chloé", "x y z", String(repeating: "w", count: 70),
            "\"quoted, with comma\"", "\"say \"\"hi\"\"\"", "\"two\nlines\"", "\"cr\r\nlf\"", "stray\"quote", "\"closed\"after",
            " ", "\t",
        ]
        let breaks = ["\n", "\r\n", "\r", "\n\n"]
        var text = ""
        for _ in 0..<lines {
            let width = Int.random(in: 1...9, using: &random)
            text += (0..<width).map { _ in pieces.randomElement(using: &random)! }.joined(separator: ",")
            text += breaks.randomElement(using: &random)!
        }
        if Bool.random(using: &random) { text += "\"open at the end" }
        return Array(text.utf8)
    }

    /// The records of `path`; `asciiSeen` counts those flagged all-ASCII, each checked to be so.
    private func tokens(_ path: String, copiesPlainLines: Bool, asciiSeen: inout Int) throws -> [Token] {
        var tokenizer = CSVTokenizer(
            file: try InputFile(path: path), encoding: .utf8, delimiter: UInt8(ascii: ","), startOffset: 0, line: 1,
            maxFieldBytes: 64, maxFields: 6, copiesPlainLines: copiesPlainLines)
        var tokens: [Token] = []
        while try tokenizer.advance() {
            let raw = tokenizer.record
            let facts = tokenizer.facts
            if facts.isASCII {
                asciiSeen += 1
                #expect(raw.bytes.withUnsafeBufferPointer { $0.allSatisfy { $0 < 0x80 } }, "record on line \(facts.line) is flagged ASCII")
            }
            var fields: [[UInt8]] = []
            for index in 0..<min(facts.fieldCount, 6) { fields.append(raw.field(index).withUnsafeBufferPointer { Array($0) }) }
            tokens.append(
                Token(
                    fields: fields, line: facts.line, offset: facts.inputOffset,
                    flags: [facts.strayQuote, facts.textAfterQuote, facts.unterminated, facts.fieldCount > 6],
                    oversizedField: facts.oversizedField, resync: facts.resync?.offset))
        }
        return tokens
    }

    @Test("lines without quotes copied whole read exactly as the byte-by-byte path reads them", arguments: [UInt64(1), 2, 3])
    func plainLineFastPathMatchesTheFullPath(seed: UInt64) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tokens-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Over 256 KiB, so records cross chunk boundaries too.
        let bytes = Self.messyCSV(lines: 12_000, seed: seed)
        #expect(bytes.count > 300_000)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        var asciiFast = 0
        var asciiFull = 0
        let fast = try tokens(path, copiesPlainLines: true, asciiSeen: &asciiFast)
        let full = try tokens(path, copiesPlainLines: false, asciiSeen: &asciiFull)
        #expect(asciiFast > 100, "the fast path tells all-ASCII records, which then skip the UTF-8 check")
        #expect(fast.count == full.count)
        for (index, pair) in zip(fast, full).enumerated() where pair.0 != pair.1 {
            Issue.record("record \(index + 1) differs: \(pair.0) vs \(pair.1)")
            break
        }
        #expect(fast.contains { $0.oversizedField != nil } && fast.contains { $0.flags[3] }, "the caps were hit")
    }

    @Test("a record is flagged all-ASCII through its quoted fields, and not when a quoted or stray-quoted field has other bytes")
    func asciiFlagThroughQuotedFields() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ascii-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("a,\"b, \"\"c\"\"\nd\",e\nf,\"é\",g\nh,i\"j,k\n\"l\",m\n".utf8).write(to: URL(fileURLWithPath: path))
        var tokenizer = CSVTokenizer(
            file: try InputFile(path: path), encoding: .utf8, delimiter: UInt8(ascii: ","), startOffset: 0, line: 1,
            maxFieldBytes: 64, maxFields: 6)
        var flags: [Bool] = []
        while try tokenizer.advance() { flags.append(tokenizer.facts.isASCII) }
        // The third has a stray quote, read byte by byte outside quotes, and is not flagged although ASCII.
        #expect(flags == [true, false, false, true])
    }
}
