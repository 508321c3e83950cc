import Foundation
import Testing

@testable import HatifImport

@Suite("inspect")
struct FileInspectorTests {
    @Test(
        "single values are classified by what they look like",
        arguments: [
            ("+966 50 011 1222", ValueKind.phone), ("(415) 555-0142", .phone), ("00966501234567", .phone),
            ("sara@example.com", .email), ("2026-03-17", .date), ("17/03/2026", .date), ("1.234,50", .number),
            ("42", .number), ("-0.5", .number), ("yes", .boolean), ("نعم", .boolean), ("https://hatif.example", .url),
            ("Sara Al-Harbi", .text), ("12345", .number), ("Gold", .text),
        ])
    func valueKinds(value: String, kind: ValueKind) {
        #expect(ValueKind.of(value) == kind)
    }

    @Test("a column's kind is the one 90% of its values share, else text")
    func columnKinds() {
        #expect(ValueKind.guess(["1", "0", "1", "0"]) == .boolean)
        #expect(ValueKind.guess(["0", "1", "2", "35"]) == .number)
        #expect(ValueKind.guess(Array(repeating: "a@b.co", count: 9) + ["nope"]) == .email)
        #expect(ValueKind.guess(Array(repeating: "a@b.co", count: 8) + ["nope", "no"]) == .text)
        #expect(ValueKind.guess(["", ""]) == .text)
    }

    @Test("distinct values are exact up to 1,024 and within 5% beyond")
    func distinctCounts() {
        var small = DistinctCounter()
        for index in 0..<1000 { small.add("v\(index % 700)") }
        #expect(small.count == 700)
        #expect(!small.isEstimate)
        var large = DistinctCounter()
        for index in 0..<100_000 { large.add("value-\(index)") }
        #expect(large.isEstimate)
        #expect(abs(large.count - 100_000) < 5_000)
    }

    @Test("a Google export is profiled: counts, fill rates, distinct values, samples and kinds")
    func googleExport() throws {
        let path = FileManager.default.temporaryDirectory.appending(path: "inspect-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let generator = SampleGenerator(seed: 3)
        try SampleWriter(format: .csv, dialect: .google, output: BufferedWriter(path: path)).write(count: 500, generator: generator)
        let report = try FileInspector().inspect(path)
        #expect(report.format == .csv)
        #expect(report.records == 500)
        #expect(report.rejects == 0)
        #expect(report.facts.contains("delimiter comma"))
        #expect(report.fields.count == 34)
        let byName = Dictionary(uniqueKeysWithValues: report.fields.map { ($0.name, $0) })
        let contacts = (0..<500).map(generator.contact)
        #expect(byName["E-mail 1 - Value"]?.filled == contacts.filter { !$0.email.isEmpty }.count)
        #expect(byName["E-mail 1 - Value"]?.kind == .email)
        #expect(byName["Phone 1 - Value"]?.kind == .phone)
        #expect(byName["Birthday"]?.kind == .date)
        #expect(byName["First Name"]?.fillRate == 1)
        #expect(byName["Middle Name"]?.filled == 0)
        #expect(byName["Custom Field 1 - Value"]?.distinct == 3)
        #expect(byName["First Name"]?.samples.count == 3)
        #expect(report.text.contains("E-mail 1 - Value"))
    }

    @Test("rejects are counted and their reasons grouped")
    func rejectsGrouped() throws {
        let report = try FileInspector().inspect(FixtureFiles.path("vcard/broken.vcf"))
        #expect(report.records == 2)
        #expect(report.rejects == 4)
        #expect(report.rejectReasons.map(\.count).reduce(0, +) == 4)
    }

    @Test("an XML file cut short is described up to the cut, the rest counted as one reject; one broken before any record is an error")
    func xmlCutShort() throws {
        var text = "<?xml version=\"1.0\"?>\n<contacts>\n"
        for index in 1...50 { text += "  <contact><name>Contact \(index)</name><email>c\(index)@example.com</email></contact>\n" }
        text += "  <contact><name>Cut"
        let path = try FixtureFiles.temporary(Array(text.utf8), suffix: ".xml")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let report = try FileInspector().inspect(path)
        #expect(report.records == 50)
        #expect(report.rejects == 1)
        #expect(report.rejectReasons.first?.reason.contains("it looks cut short") == true)
        #expect(report.rejectReasons.first?.reason.contains("Nothing after this point of the file was read") == true)
        #expect(report.fields.first { $0.name == "email" }?.filled == 50)

        let broken = try FixtureFiles.temporary(Array("<?xml version=\"1.0\"?>\n<contacts><contact><name>x</nme>".utf8), suffix: ".xml")
        defer { try? FileManager.default.removeItem(atPath: broken) }
        #expect(throws: ReaderError.self) { try FileInspector().inspect(broken) }
    }
}
