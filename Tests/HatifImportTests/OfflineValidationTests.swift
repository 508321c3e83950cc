import Foundation
import HatifAPI
import HatifTestSupport
import Testing

@testable import HatifImport

@Suite("validate")
struct OfflineValidationTests {
    @Test("outcomes are counted, reasons grouped, and every reject written with its original fields")
    func summary() async throws {
        let folder = try FixtureFiles.temporaryFolder("validate")
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appending(path: "contacts.csv").path
        try Data(
            """
            name,phone,email,tier
            Sara,0500111222,,Gold
            Omar,12345,,Gold
            Layla,,layla@example.com,Platinum
            "Broken,row
            Noura,0500111223,=cmd|' /C calc'!A0,Silver
            Huda,0500111224
            """.utf8
        ).write(to: URL(fileURLWithPath: input))
        let mapping = try MappingFile.parse(TestMappings.contactsWithTier + "\noptions: closed\n")
        let rejectsPath = folder.appending(path: "rejects.csv").path
        let summary = try await OfflineValidation(mapping: mapping).run(files: [input], rejects: RejectsFile(path: rejectsPath))
        #expect(summary.records == 6)
        #expect(summary.valid == 2)
        #expect(summary.unreadable == 2)
        #expect(summary.rejected == 2)
        #expect(summary.topReasons.map(\.count).reduce(0, +) == 4)
        #expect(summary.topReasons.contains { $0.reason == "phone: not a valid number for SA" })
        let rejects = try String(contentsOfFile: rejectsPath, encoding: .utf8)
        #expect(rejects.hasPrefix("file,line,record,field,value,reason,original\n"))
        #expect(rejects.contains(",3,2,phone,12345,not a valid number for SA,"))
        #expect(rejects.contains("Platinum"))
        #expect(rejects.components(separatedBy: "\n").filter { !$0.isEmpty }.count >= 5)
    }

    @Test("over several windows, rows are written in file order while the next window is mapped; a file that fails to open after them still leaves the earlier rows counted and written")
    func severalWindows() async throws {
        let folder = try FixtureFiles.temporaryFolder("validate")
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appending(path: "many.csv").path
        let rows = (0..<10_000).map { $0 % 7 == 0 ? "Person \($0),bad-\($0)" : "Person \($0),p\($0)@example.com" }
        try Data((["name,email"] + rows).joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: input))
        let mapping = try MappingFile.parse(
            "version: 1\nfields:\n  - {source: email, target: Email}\n  - {source: name, target: FirstName}\n")
        let expected = (0..<10_000).filter { $0 % 7 == 0 }

        let rejectsPath = folder.appending(path: "rejects.csv").path
        let summary = try await OfflineValidation(mapping: mapping).run(files: [input], rejects: RejectsFile(path: rejectsPath))
        #expect(summary.records == 10_000)
        #expect(summary.rejected == expected.count)
        let lines = try String(contentsOfFile: rejectsPath, encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(lines.map { $0.split(separator: ",")[2] } == expected.map { "\($0 + 1)"[...] })

        let failing = try RejectsFile(path: folder.appending(path: "rejects-2.csv").path)
        await #expect(throws: (any Error).self) {
            try await OfflineValidation(mapping: mapping).run(files: [input, folder.appending(path: "missing.csv").path], rejects: failing)
        }
        #expect(failing.count == expected.count)
    }

    @Test("mapped fields that no record has are named, whichever task met the records; a field some records have is not")
    func unmatchedSources() async throws {
        let folder = try FixtureFiles.temporaryFolder("validate")
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appending(path: "people.csv").path
        try Data((["name,email"] + (0..<5_000).map { "Person \($0),p\($0)@example.com" }).joined(separator: "\n").utf8)
            .write(to: URL(fileURLWithPath: csv))
        let mapping = try MappingFile.parse(
            """
            version: 1
            region: SA
            fields:
              - {source: Name, target: FirstName}
              - {source: email, target: Email}
              - {source: [Code, Phone], target: PhoneNumber, transforms: [{join: ""}]}
              - {source: NOTE, target: "property:note"}
            properties:
              note: {type: Text}
            """)
        let summary = try await OfflineValidation(mapping: mapping).run(files: [csv])
        #expect(summary.unmatchedSources == ["Name", "Code", "Phone", "NOTE"])
        // A vCard field that only the last card has counts.
        let vcf = folder.appending(path: "people.vcf").path
        var cards = (0..<3_000).map { "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:P\($0)\r\nEMAIL:p\($0)@x.co\r\nEND:VCARD\r\n" }.joined()
        cards += "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Last\r\nEMAIL:last@x.co\r\nNOTE:only here\r\nEND:VCARD\r\n"
        try Data(cards.utf8).write(to: URL(fileURLWithPath: vcf))
        let cardSummary = try await OfflineValidation(mapping: mapping).run(files: [vcf])
        #expect(cardSummary.unmatchedSources == ["Name", "email", "Code", "Phone"])
        let empty = folder.appending(path: "empty.csv").path
        try Data("name,email\n".utf8).write(to: URL(fileURLWithPath: empty))
        #expect(try await OfflineValidation(mapping: mapping).run(files: [empty]).unmatchedSources.isEmpty)
    }

    @Test("what the readers noticed about the inputs (lines before the table, a fallback encoding) is in the summary, once per file")
    func inputNotices() async throws {
        let folder = try FixtureFiles.temporaryFolder("validate")
        defer { try? FileManager.default.removeItem(at: folder) }
        let titled = folder.appending(path: "titled.csv").path
        try Data((["Contacts exported by the CRM", "", "name,email"] + (0..<5_000).map { "P\($0),p\($0)@example.com" }).joined(separator: "\n").utf8)
            .write(to: URL(fileURLWithPath: titled))
        let latin = folder.appending(path: "latin.csv").path
        try Data([UInt8]("name,email\nJos".utf8) + [0xE9] + [UInt8](",jose@example.com\n".utf8)).write(to: URL(fileURLWithPath: latin))
        let plain = folder.appending(path: "plain.csv").path
        try Data("name,email\nA,a@example.com\n".utf8).write(to: URL(fileURLWithPath: plain))
        let mapping = try MappingFile.parse("version: 1\nregion: SA\nfields:\n  - {source: name, target: FirstName}\n  - {source: email, target: Email}\n")
        let summary = try await OfflineValidation(mapping: mapping).run(files: [titled, latin, plain])
        #expect(summary.valid == 5_002 && summary.rejects == 0)
        #expect(summary.inputNotices.count == 2, "\(summary.inputNotices)")
        #expect(summary.inputNotices.first?.hasPrefix("\(titled): line 1 comes before the table") == true)
        #expect(summary.inputNotices.last?.hasPrefix("\(latin): not valid UTF-8") == true)
    }

    @Test("cells that a spreadsheet would run as formulas are escaped")
    func formulaInjection() {
        #expect(RejectsFile.cell("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0")
        #expect(RejectsFile.cell("+966500111222") == "'+966500111222")
        #expect(RejectsFile.cell("-5") == "'-5")
        #expect(RejectsFile.cell("@SUM(A1)") == "'@SUM(A1)")
        #expect(RejectsFile.cell("a,b") == "\"a,b\"")
        #expect(RejectsFile.cell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(RejectsFile.cell("Sara") == "Sara")
    }
}

extension OfflineValidationTests {
    @Test("JSON text escapes quotes, backslashes and control characters, and keeps key order")
    func jsonText() throws {
        let text = JSONText.object([("b", "say \"hi\"\\"), ("a", "line\nbreak\u{01}"), ("ar", "سارة")])
        #expect(text == #"{"b":"say \"hi\"\\","a":"line\nbreak\u0001","ar":"سارة"}"#)
        let decoded = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]
        #expect(decoded == ["b": "say \"hi\"\\", "a": "line\nbreak\u{01}", "ar": "سارة"])
    }

    @Test("white space is trimmed from both ends only", arguments: [
        ("  Sara  ", "Sara"), ("\u{00A0}Omar\n", "Omar"), ("سارة\t", "سارة"), ("   ", ""), ("a b", "a b"), ("", ""),
        ("\u{3000}سارة\u{2003}", "سارة"), ("Ωmega\u{1680}", "Ωmega"), ("\u{85}é", "é"), ("é\u{202F}", "é"), ("日本", "日本"),
        ("\u{2028}Ä\u{205F}", "Ä"), ("x\u{2029}", "x"), ("\u{1F}a", "\u{1F}a"),
    ])
    func trimming(input: String, expected: String) {
        #expect(input.trimmingWhitespace() == expected)
    }
}

extension OfflineValidationTests {
    @Test("a reject's original fields are written byte for byte as the JSON text of its non-empty fields, quoted for CSV")
    func originalFieldsBytes() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "rejects-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let controls = String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) })
        let fields = [
            SourceField(name: "name", value: "Sara \"the\" \\ Al-Harbi"), SourceField(name: "empty", value: ""),
            SourceField(name: "controls", value: controls), SourceField(name: "ar", value: "سارة, 😀"),
            SourceField(name: "name", value: "=second"), SourceField(name: "q\"uote", value: "plain"),
        ]
        let record = SourceRecord(ordinal: 7, location: SourceLocation(file: "in.csv", line: 9, byteOffset: 0), fields: fields)
        let reject = RecordReject(ordinal: 7, location: record.location, field: "phone", value: "+1", reason: "a, \"reason\"")
        let path = folder.appending(path: "rejects.csv").path
        let file = try RejectsFile(path: path)
        try file.append(reject, record: record)
        try file.close()
        let written = try String(contentsOfFile: path, encoding: .utf8)
        let json = JSONText.object(fields.filter { !$0.value.isEmpty }.map { ($0.name, $0.value) })
        let expected = RejectsFile.header
            + ["in.csv", "9", "7", "phone", "+1", "a, \"reason\"", json].map(RejectsFile.cell).joined(separator: ",") + "\n"
        #expect(written == expected)
    }

    @Test("rows of records that share a shape, change shape or have no value are those of the String path")
    func rowsAcrossShapes() throws {
        let one = [SourceField(name: "na\"me", value: "Sara \"x\""), SourceField(name: "tab\tkey", value: "v\u{1}"), SourceField(name: "e", value: "")]
        let other = [SourceField(name: "q", value: "=1"), SourceField(name: "سارة", value: "\r\n")]
        let empty = [SourceField(name: "a", value: ""), SourceField(name: "b", value: "")]
        let shared = SourceRecord(ordinal: 1, location: SourceLocation(file: "a,b.csv", line: 2, byteOffset: 0), fields: one)
        let records = [
            shared, SourceRecord(ordinal: 2, location: SourceLocation(file: "a,b.csv", line: 3, byteOffset: 9), fields: one),
            SourceRecord(ordinal: 3, location: SourceLocation(file: "=f.csv", line: 4, byteOffset: 20), fields: other),
            SourceRecord(ordinal: 4, location: SourceLocation(file: "in.csv", line: 5, byteOffset: 30), fields: empty),
        ]
        let values: [String?] = ["\r\nvalue", "=sum", nil, "-1, \"2\""]
        var keys = OriginalKeys()
        var rows: [UInt8] = []
        var expected = ""
        for (record, value) in zip(records + [shared], values + ["@x"]) {
            let reject = RecordReject(ordinal: record.ordinal, location: record.location, field: value == nil ? nil : "+f", value: value, reason: "\tr")
            RejectsFile.appendRow(reject, record: record, excerpt: nil, redactor: nil, keys: &keys, to: &rows)
            let json = JSONText.object(record.fields.filter { !$0.value.isEmpty }.map { ($0.name, $0.value) })
            let cells = [record.location.file, "\(record.location.line)", "\(record.ordinal)", reject.field ?? "", value ?? "", "\tr", json]
            expected += cells.map(RejectsFile.cell).joined(separator: ",") + "\n"
        }
        #expect(String(decoding: rows, as: UTF8.self) == expected)
    }

    @Test("rows of random records, every byte below 0x20 among their values, are those of the String path")
    func randomRows() async {
        var random = SeededGenerator(seed: 0x2EC7)
        let controls = (0..<0x20).map { String(Character(Unicode.Scalar(UInt8($0)))) }
        let pieces = PlanEntryTextTests.pieces + controls + ["\"", "\\", "\\\"", ",", String(repeating: "x\"", count: 300)]
        func text() -> String {
            (0..<Int.random(in: 0...4, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "" }.joined()
        }
        var keys = OriginalKeys()
        var shapes: [[String]] = []
        for round in 0..<3_000 {
            if round % 500 == 0 { await Task.yield() }  // CPU-bound: see PlanEntryTextTests.sameBytes
            // A few shapes, reused as a file's records reuse theirs, and new ones now and then.
            if shapes.isEmpty || Int.random(in: 0..<20, using: &random) == 0 {
                shapes.append((0..<Int.random(in: 0...12, using: &random)).map { _ in text() })
            }
            let names = shapes.randomElement(using: &random) ?? []
            let record = SourceRecord(
                ordinal: round + 1, location: SourceLocation(file: "in.csv", line: round + 2, byteOffset: 0), names: names,
                values: names.map { _ in Bool.random(using: &random) ? "" : text() })
            let reject = RecordReject(ordinal: record.ordinal, location: record.location, reason: "r")
            var rows: [UInt8] = Array(text().utf8)
            let before = rows
            RejectsFile.appendRow(reject, record: record, excerpt: nil, redactor: nil, keys: &keys, to: &rows)
            let json = JSONText.object(zip(record.fieldNames, record.fieldValues).filter { !$0.1.isEmpty }.map { ($0.0, $0.1) })
            let cells = ["in.csv", "\(round + 2)", "\(round + 1)", "", "", "r", json]
            let expected = before + Array((cells.map(RejectsFile.cell).joined(separator: ",") + "\n").utf8)
            guard rows == expected else {
                Issue.record("round \(round): \(String(decoding: rows, as: UTF8.self)) != \(String(decoding: expected, as: UTF8.self))")
                return
            }
        }
    }

    @Test("YAML-safe quoting escapes what libyaml reads differently, and leaves plain text as it is", arguments: [
        ("plain text", #""plain text""#), ("tab\tquote\"", #""tab\tquote\"""#), ("del\u{7F}", #""del\u007f""#),
        ("nel\u{85}", #""nel\u0085""#), ("ls\u{2028}", #""ls\u2028""#), ("سارة", #""سارة""#),
    ])
    func yamlQuoting(input: String, expected: String) {
        #expect(JSONText.yamlQuoted(input) == expected)
    }
}
