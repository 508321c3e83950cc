import Foundation
import Testing

@testable import HatifImport

@Suite("report serve's index")
struct ReportIndexTests {
    /// A plan of `count` records: every third an update, every tenth a reject, the rest creates.
    static func plan(count: Int) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appending(path: "report-index-\(UUID().uuidString)").path
        let report = try PlanReportWriter(folder: folder)
        for ordinal in 1...count {
            let kind: PlannedAction.Kind = ordinal % 10 == 0 ? .reject : ordinal % 3 == 0 ? .update : .create
            let phone = "+9665" + String(format: "%08d", ordinal)
            try report.append(
                PlanEntry(
                    file: "/exports/crm.csv", line: ordinal + 1, ordinal: ordinal, action: kind, key: kind == .update ? "phone" : nil,
                    contactIDs: kind == .update ? ["id-\(ordinal)"] : [],
                    changes: kind == .reject ? [] : [FieldChange(field: "FirstName", old: nil, new: "Name\(ordinal)"), FieldChange(field: "PhoneNumber", old: nil, new: phone)],
                    reasons: kind == .reject ? ["Email \"bad\(ordinal)@\": not an e-mail address"] : [], outcome: nil))
        }
        try report.finish()
        return folder
    }

    @Test("pages through every record, filters by kind, and finds a record by name, phone, e-mail, reason or file:line")
    func pagesFiltersAndSearches() throws {
        let folder = try Self.plan(count: 2_500)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let index = try ReportIndex.open(folder: folder)
        #expect(index.description.records == 2_500)
        #expect(index.description.counts == ["create": 1_500, "update": 750, "reject": 250])
        #expect(index.description.mode == "dry-run")

        let last = try index.page(kind: nil, query: "", page: 24, pageSize: 100)
        #expect(last.total == 2_500)
        #expect(last.entries.map(\.entry.ordinal) == Array(2_401...2_500))

        let rejects = try index.page(kind: "reject", query: "", page: 1, pageSize: 100)
        #expect(rejects.total == 250)
        #expect(rejects.entries.first?.entry.ordinal == 1_010)
        #expect(rejects.entries.allSatisfy { $0.entry.action == .reject })

        let byName = try index.page(kind: nil, query: "NAME2499", page: 0, pageSize: 100)
        #expect(byName.entries.map(\.entry.ordinal) == [2_499])
        let byPhone = try index.page(kind: nil, query: "+966500002498", page: 0, pageSize: 100)
        #expect(byPhone.entries.map(\.entry.ordinal) == [2_498])
        let byPlace = try index.page(kind: nil, query: "crm.csv:2500 ", page: 0, pageSize: 100)
        #expect(byPlace.entries.map(\.entry.ordinal) == [2_499])
        let byReason = try index.page(kind: nil, query: "bad2490@", page: 0, pageSize: 100)
        #expect(byReason.entries.map(\.entry.ordinal) == [2_490])
        let filtered = try index.page(kind: "update", query: "name249", page: 0, pageSize: 100)
        #expect(filtered.entries.map(\.entry.ordinal) == [249, 2_490, 2_493, 2_496, 2_499].filter { $0 % 3 == 0 && $0 % 10 != 0 })
        #expect(try index.page(kind: "nonsense", query: "", page: 0, pageSize: 100).total == 0)
        // A page past the end, as a URL can ask for it: empty, with the total.
        for page in [25, 999_999, Int.max] {
            let past = try index.page(kind: nil, query: "", page: page, pageSize: 100)
            #expect(past.total == 2_500 && past.entries.isEmpty, "page \(page)")
            #expect(try index.page(kind: "update", query: "", page: page, pageSize: 100).entries.isEmpty)
            #expect(try index.page(kind: nil, query: "name", page: page, pageSize: 100).entries.isEmpty)
        }
    }

    @Test("the index is built once, and again when the plan changes")
    func rebuiltWhenThePlanChanges() throws {
        let folder = try Self.plan(count: 30)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try ReportIndex.open(folder: folder)
        let marker = folder + "/report-index/index.json"
        let first = try FileManager.default.attributesOfItem(atPath: marker)[.modificationDate] as? Date
        Thread.sleep(forTimeInterval: 0.05)
        _ = try ReportIndex.open(folder: folder)
        #expect(try FileManager.default.attributesOfItem(atPath: marker)[.modificationDate] as? Date == first, "opened again, not rebuilt")
        let plan = try String(contentsOfFile: folder + "/plan.jsonl", encoding: .utf8)
        try Data(plan.split(separator: "\n").prefix(10).joined(separator: "\n").appending("\n").utf8).write(to: URL(fileURLWithPath: folder + "/plan.jsonl"))
        #expect(try ReportIndex.open(folder: folder).description.records == 10)
    }

    @Test("a folder without a plan or results is refused with what to name instead")
    func noReport() throws {
        #expect(throws: ReportIndexError.self) { try ReportIndex.open(folder: NSTemporaryDirectory()) }
    }
}
