import Foundation
import HatifAPI
import Testing

@testable import HatifImport

@Suite("A record's line in results.jsonl, plan.csv and report.html, written as bytes")
struct PlanEntryTextTests {
    /// Texts that take every path: plain, JSON escapes, CSV quoting, formula starts (one a grapheme that only
    /// starts with `=`, one CRLF), `</` for the page, non-ASCII, empty.
    static let pieces = [
        "", "Ann", "O'Brien", "Zoë", "李", "👩‍👩‍👧", "a,b", "say \"hi\"", "back\\slash", "line\nbreak", "cr\rlf\r\n", "\r\nx", "tab\t",
        "\u{1}\u{1F}", "=SUM(A1)", "=\u{301}x", "+49 30 1", "-5", "@home", "x</script>", "</", "<", "∅", "→", "a; b", " ", "1,5",
        "\u{7F}\u{85}\u{2028}", "ok",
    ]

    static func text(_ random: inout SeededGenerator) -> String {
        (0..<Int.random(in: 0...3, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "" }.joined()
    }

    static func entry(_ random: inout SeededGenerator) -> PlanEntry {
        let actions: [PlannedAction.Kind] = [.create, .update, .unchanged, .conflict, .reject, .merged, .delete]
        let outcomes: [RecordOutcome.Kind?] = [nil, .created, .updated, .unchanged, .merged, .conflict, .rejected, .failed, .deleted]
        return PlanEntry(
            file: text(&random), line: Int.random(in: 0...2_000_000, using: &random), ordinal: Int.random(in: 1...Int(Int32.max), using: &random),
            action: actions.randomElement(using: &random) ?? .create, key: Bool.random(using: &random) ? text(&random) : nil,
            contactIDs: (0..<Int.random(in: 0...3, using: &random)).map { _ in text(&random) },
            changes: (0..<Int.random(in: 0...4, using: &random)).map { _ in
                FieldChange(
                    field: text(&random), old: Bool.random(using: &random) ? text(&random) : nil, new: Bool.random(using: &random) ? text(&random) : nil)
            },
            reasons: (0..<Int.random(in: 0...2, using: &random)).map { _ in text(&random) }, outcome: outcomes.randomElement(using: &random) ?? nil)
    }

    // The string-built forms these replaced, kept as the reference.

    static func referenceJSON(_ entry: PlanEntry) -> String {
        var text = "{\"file\":\(JSONText.quoted(entry.file)),\"line\":\(entry.line),\"record\":\(entry.ordinal),\"action\":\"\(entry.action.rawValue)\""
        if let outcome = entry.outcome { text += ",\"outcome\":\"\(outcome.rawValue)\"" }
        if let key = entry.key { text += ",\"key\":\(JSONText.quoted(key))" }
        if !entry.contactIDs.isEmpty { text += ",\"contactIds\":[\(entry.contactIDs.map(JSONText.quoted).joined(separator: ","))]" }
        if !entry.changes.isEmpty {
            let diff = entry.changes.map { change in
                "{\"field\":\(JSONText.quoted(change.field)),\"old\":\(change.old.map(JSONText.quoted) ?? "null"),\"new\":\(change.new.map(JSONText.quoted) ?? "null")}"
            }
            text += ",\"changes\":[\(diff.joined(separator: ","))]"
        }
        if !entry.reasons.isEmpty { text += ",\"reasons\":[\(entry.reasons.map(JSONText.quoted).joined(separator: ","))]" }
        return text + "}"
    }

    static func referenceCSV(_ entry: PlanEntry) -> String {
        let changesText = entry.changes.map { "\($0.field): \($0.old ?? "∅") → \($0.new ?? "∅")" }.joined(separator: "; ")
        return [
            entry.file, "\(entry.line)", "\(entry.ordinal)", entry.outcome?.rawValue ?? entry.action.rawValue, entry.key ?? "",
            entry.contactIDs.joined(separator: " "), changesText, entry.reasons.joined(separator: "; "),
        ]
        .map(RejectsFile.cell).joined(separator: ",")
    }

    static func referenceRow(_ entry: PlanEntry, kind: String, file: Int) -> String {
        var row = ",\n[\(file),\(entry.line),\(entry.ordinal),\(JSONText.quoted(kind)),"
        row += "\(JSONText.quoted(entry.key ?? "")),\(JSONText.quoted(entry.contactIDs.joined(separator: " "))),["
        row += entry.changes.map { "[\(JSONText.quoted($0.field)),\($0.old.map(JSONText.quoted) ?? "null"),\($0.new.map(JSONText.quoted) ?? "null")]" }
            .joined(separator: ",")
        row += "],[\(entry.reasons.map(JSONText.quoted).joined(separator: ","))]]"
        return HTMLReportWriter.scriptSafe(row)
    }

    @Test("50,000 random entries: the JSON line, the CSV row and the page's row are byte for byte the string-built ones")
    func sameBytes() async throws {
        var random = SeededGenerator(seed: 20_261_203)
        var differences = 0
        for round in 0..<50_000 {
            // CPU-bound for seconds: it yields now and then, so that the suite's time-bound async tests get a
            // thread of the two-thread pool (a test that held one to the end kept them waiting up to 37 s).
            if round % 512 == 511 { await Task.yield() }
            let entry = Self.entry(&random)
            var bytes: [UInt8] = Array("prefix".utf8)
            entry.appendJSON(to: &bytes)
            let json = String(decoding: bytes.dropFirst(6), as: UTF8.self)
            var csv: [UInt8] = Array("p,".utf8)
            entry.appendCSVRow(to: &csv)
            let row = String(decoding: csv.dropFirst(2), as: UTF8.self)
            var page: [UInt8] = Array("</".utf8)
            HTMLReportWriter.appendRow(entry, kind: entry.category.name, file: round % 7, to: &page)
            let pageRow = String(decoding: page.dropFirst(2), as: UTF8.self)
            if json != Self.referenceJSON(entry) || row != Self.referenceCSV(entry)
                || pageRow != Self.referenceRow(entry, kind: entry.category.name, file: round % 7)
            {
                differences += 1
                if differences <= 3 { Issue.record("differs: \(entry)") }
            }
            #expect(entry.json == json && entry.csvRow == row)
            if round % 1_000 == 0 {
                let decoded = try JSONDecoder().decode(PlanEntry.self, from: Data(json.utf8))
                #expect(decoded == entry)
            }
        }
        #expect(differences == 0)
    }

    @Test("numbers are written in decimal, negative ones too")
    func decimal() {
        for value in [0, 7, 10, 99, 1_000_000, Int.max, -1, Int.min] {
            var bytes: [UInt8] = []
            JSONText.append(value, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == "\(value)")
        }
    }
}
