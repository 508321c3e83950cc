import Foundation
import HatifTestSupport
import Testing

@testable import HatifImport

/// Contact data the report entries below carry: none of it may be left in a redacted report.
private let names = ["Maha", "Alharbi", "Abdullah", "Qahtani"]
private let phones = ["+966501234543", "+966551112233", "0501234567"]
private let emails = ["maha.alharbi@example.com", "abdullah@mail.example.sa", "bad@@example"]

@Suite("Report folder: parts, row budget, redaction, file modes")
struct ReportFolderTests {
    static func folder() -> String { FileManager.default.temporaryDirectory.appending(path: "report-\(UUID().uuidString)").path }

    static func entry(_ ordinal: Int, _ kind: PlannedAction.Kind) -> PlanEntry {
        var changes: [FieldChange] = []
        var reasons: [String] = []
        var ids: [String] = []
        switch kind {
        case .create:
            changes = [
                FieldChange(field: "FirstName", old: nil, new: names[0]), FieldChange(field: "LastName", old: nil, new: names[1]),
                FieldChange(field: "PhoneNumber", old: nil, new: phones[0]), FieldChange(field: "Email", old: nil, new: emails[0]),
            ]
            reasons = ["other phone numbers not imported: \(phones[1])"]
        case .update:
            changes = [
                FieldChange(field: "FirstName", old: names[2], new: names[0]), FieldChange(field: "Email", old: emails[1], new: emails[0]),
            ]
            ids = ["c-\(ordinal)"]
        case .reject:
            reasons = ["Phone 1 - Value \"\(phones[2])\": not a valid number for SA", "E-mail \"\(emails[2])\": not an e-mail address; call \(phones[1])"]
        case .unchanged:
            ids = ["c-\(ordinal)"]
        default: break
        }
        return PlanEntry(
            file: "/exports/crm.csv", line: ordinal + 1, ordinal: ordinal, action: kind, key: ids.isEmpty ? nil : "phone", contactIDs: ids,
            changes: changes, reasons: reasons, outcome: nil)
    }

    static func lines(_ path: String) throws -> [Substring] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    }

    /// The rows `report.html` embeds, as [file index, line, record, kind, …].
    static func pageRows(_ folder: String) throws -> (rows: [[Any]], meta: [String: Any]) {
        let html = try String(contentsOfFile: folder + "/report.html", encoding: .utf8)
        func script(_ id: String) throws -> Data {
            let start = try #require(html.range(of: "<script id=\"\(id)\" type=\"application/json\">"))
            let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
            return Data(html[start.upperBound..<end.lowerBound].utf8)
        }
        let rows = try #require(try JSONSerialization.jsonObject(with: try script("rows")) as? [[Any]])
        let meta = try #require(try JSONSerialization.jsonObject(with: try script("meta")) as? [String: Any])
        return (rows, meta)
    }

    @Test("a CSV is cut into parts of at most 1,000,000 rows, each with its header, and parts an earlier report left are removed")
    func partsOfAMillionRows() throws {
        let folder = Self.folder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("stale\n".utf8).write(to: URL(fileURLWithPath: folder + "/plan-3.csv"))
        let csv = try PartedCSVFile(folder: URL(fileURLWithPath: folder), stem: "plan", header: PlanEntry.csvHeader, rowsPerPart: ReportOptions().rowsPerPart)
        for row in 0..<1_000_001 { try csv.append("r\(row)") }
        try csv.finish()
        #expect(csv.parts == ["plan.csv", "plan-2.csv"])
        let first = try Self.lines(folder + "/plan.csv")
        #expect(first.count == 1_000_001, "the header and 1,000,000 rows")
        #expect(first.first == Substring(PlanEntry.csvHeader))
        #expect(first.last == "r999999")
        #expect(try Self.lines(folder + "/plan-2.csv") == [Substring(PlanEntry.csvHeader), "r1000000"])
        #expect(!FileManager.default.fileExists(atPath: folder + "/plan-3.csv"))
    }

    @Test("a dry run's plan.csv and a run's results.csv are written in parts, a run's under .partial names until it ends", arguments: [true, false])
    func reportInParts(dryRun: Bool) throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let report = try PlanReportWriter(folder: folder, dryRun: dryRun, options: ReportOptions(rowsPerPart: 2))
        for ordinal in 1...5 { try report.append(Self.entry(ordinal, .create)) }
        let stem = dryRun ? "plan" : "results"
        if !dryRun { #expect(FileManager.default.fileExists(atPath: "\(folder)/\(stem)-3.csv.partial")) }
        try report.finish()
        for (part, rows) in [("\(stem).csv", 2), ("\(stem)-2.csv", 2), ("\(stem)-3.csv", 1)] {
            let lines = try Self.lines("\(folder)/\(part)")
            #expect(lines.first == Substring(PlanEntry.csvHeader), "\(part) starts with the header")
            #expect(lines.count == rows + 1, "\(part)")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(!names.contains { $0.hasSuffix(".partial") })
        let (_, meta) = try Self.pageRows(folder)
        #expect(meta["fullList"] as? [String] == ["\(stem).csv", "\(stem)-2.csv", "\(stem)-3.csv", "\(stem).jsonl"])
    }

    @Test("report.html counts unchanged records without listing them, lists rejects first within its row budget, and says what it left out")
    func rowBudget() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let report = try PlanReportWriter(folder: folder, options: ReportOptions(rowBudget: 4))
        for ordinal in 1...5 { try report.append(Self.entry(ordinal, .create)) }
        for ordinal in 6...10 { try report.append(Self.entry(ordinal, .unchanged)) }
        for ordinal in 11...13 { try report.append(Self.entry(ordinal, .reject)) }
        try report.finish()
        let (rows, meta) = try Self.pageRows(folder)
        #expect(rows.map { $0[3] as? String } == ["reject", "reject", "reject", "create"])
        #expect(rows.map { $0[2] as? Int } == [11, 12, 13, 1])
        #expect(meta["files"] as? [String] == ["/exports/crm.csv"])
        #expect(meta["unchangedNotListed"] as? Int == 5)
        #expect(meta["overBudget"] as? [String: Int] == ["create": 4])
        let html = try String(contentsOfFile: folder + "/report.html", encoding: .utf8)
        #expect(html.contains("\"unchanged\":5"), "unchanged records are still counted")
        #expect(try Self.lines(folder + "/plan.csv").count == 14, "the CSV lists every record")

        let all = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: all) }
        let listing = try PlanReportWriter(folder: all, options: ReportOptions(listUnchanged: true))
        for ordinal in 1...5 { try listing.append(Self.entry(ordinal, .unchanged)) }
        try listing.finish()
        let (listed, listedMeta) = try Self.pageRows(all)
        #expect(listed.count == 5)
        #expect(listedMeta["unchangedNotListed"] as? Int == 0)
    }

    @Test("report.html also stops listing at its byte budget, whatever the row budget")
    func byteBudget() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var options = ReportOptions()
        options.pageBytes = 1_000
        let report = try PlanReportWriter(folder: folder, options: options)
        for ordinal in 1...50 { try report.append(Self.entry(ordinal, .create)) }
        try report.finish()
        let (rows, meta) = try Self.pageRows(folder)
        #expect((1..<10).contains(rows.count), "a few rows of about 250 bytes fit in 1,000 bytes")
        #expect(meta["overBudget"] as? [String: Int] == ["create": 50 - rows.count])
    }

    @Test("--redact masks every name, phone and e-mail in report.html, plan.csv and rejects.csv; plan.jsonl keeps them")
    func redaction() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let options = ReportOptions(redact: true)
        let report = try PlanReportWriter(folder: folder, options: options)
        for (ordinal, kind) in [PlannedAction.Kind.create, .update, .reject, .unchanged].enumerated() { try report.append(Self.entry(ordinal + 1, kind)) }
        try report.finish()
        let rejects = try RejectsFile(path: folder + "/rejects.csv", redactor: options.redactor)
        try rejects.append(
            RecordReject(
                ordinal: 3, location: SourceLocation(file: "/exports/crm.csv", line: 4, byteOffset: 0), field: "Phone 1 - Value", value: phones[2],
                reason: "not a valid number for SA"),
            record: nil, excerpt: "\(names[0]),\(names[1]),\(phones[2]),\(emails[2])")
        try rejects.close()
        let shared = try ["report.html", "plan.csv", "rejects.csv"].map { try String(contentsOfFile: "\(folder)/\($0)", encoding: .utf8) }
        for (name, text) in zip(["report.html", "plan.csv", "rejects.csv"], shared) {
            for value in names + phones + emails {
                #expect(!text.contains(value), "\(name) shows \(value)")
            }
        }
        let csv = shared[1]
        #expect(csv.contains("+9665••••••43"), "a phone keeps its country code and last digits")
        #expect(csv.contains("m•••@example.com"), "an e-mail keeps its first letter and domain")
        #expect(csv.contains("M•••"), "a name keeps its first letter")
        #expect(csv.contains("/exports/crm.csv,4,3"), "where a record is stays readable")
        let jsonl = try String(contentsOfFile: folder + "/plan.jsonl", encoding: .utf8)
        #expect(jsonl.contains(phones[0]) && jsonl.contains(emails[0]), "plan.jsonl keeps the values, for tools and report serve")
    }

    @Test("the redactor masks names, phones and e-mails, in fields and in free text")
    func redactor() {
        let redactor = Redactor()
        #expect(redactor.phone("+966501234543") == "+9665••••••43")
        #expect(redactor.email("maha@example.com") == "m•••@example.com")
        #expect(redactor.name("مها") == "م•••")
        #expect(redactor.value("Maha", field: "FirstName") == "M•••")
        #expect(redactor.text("Phone \"0501234567\": not valid") == "Phone \"05012•••67\": not valid")
        #expect(redactor.text("call +966 50 123 4567 or mail maha@example.com, record 12345") == "call +966 •••••••••67 or mail m•••@example.com, record 12345")
    }

    @Test("report files are readable by their owner only: files 0600, a new folder 0700", arguments: [true, false])
    func fileModes(dryRun: Bool) throws {
        let parent = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let folder = parent + "/nested/report"
        let old = umask(0o022)
        defer { umask(old) }
        let report = try PlanReportWriter(folder: folder, dryRun: dryRun)
        try report.append(Self.entry(1, .create))
        let results = try ResultsFile(path: folder + "/results.jsonl", keeping: 0)
        try results.append(Self.entry(1, .create))
        _ = try results.sync()
        let rejects = try RejectsFile(path: folder + "/rejects.csv")
        try rejects.close()
        try report.finish()
        func mode(_ path: String) throws -> Int { (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1 }
        #expect(try mode(folder) == 0o700)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            #expect(try mode("\(folder)/\(name)") == 0o600, "\(name)")
        }
    }
}

@Suite("report.html's script")
struct ReportPageScriptTests {
    @Test("the page's script parses, for a dry run and a run, with rows left out", .enabled(if: PageScripts.node != nil), arguments: [true, false])
    func scriptParses(dryRun: Bool) throws {
        let folder = ReportFolderTests.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let report = try PlanReportWriter(folder: folder, dryRun: dryRun, options: ReportOptions(rowBudget: 1))
        for (ordinal, kind) in [PlannedAction.Kind.create, .update, .reject, .unchanged].enumerated() {
            try report.append(ReportFolderTests.entry(ordinal + 1, kind))
        }
        var requests = RequestSizing()
        requests.bulkFiles = 1
        var sizing = RunSizing(estimate: requests, latency: .milliseconds(20), maxRequestsPerSecond: 20, concurrency: 4)
        if !dryRun { sizing.actual = requests }
        report.noteSizing(sizing)
        try report.finish()
        let html = try String(contentsOfFile: folder + "/report.html", encoding: .utf8)
        #expect(try PageScripts.syntaxErrors(in: html) == nil)
    }
}
