import Foundation
import HatifImport
import HatifTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import hatif_import

@Suite("report serve")
struct ReportServerTests {
    /// A dry run's report of 1,000 records: every fourth an update, the rest creates.
    static func plan() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appending(path: "serve-\(UUID().uuidString)").path
        let report = try PlanReportWriter(folder: folder)
        for ordinal in 1...1_000 {
            let update = ordinal % 4 == 0
            try report.append(
                PlanEntry(
                    file: "/exports/crm.csv", line: ordinal + 1, ordinal: ordinal, action: update ? .update : .create, key: update ? "phone" : nil,
                    contactIDs: update ? ["id-\(ordinal)"] : [],
                    changes: [
                        FieldChange(field: "FirstName", old: update ? "Old\(ordinal)" : nil, new: "Maha\(ordinal)"),
                        FieldChange(field: "Email", old: nil, new: "maha\(ordinal)@example.com"),
                    ],
                    reasons: [], outcome: nil))
        }
        try report.finish()
        return folder
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    @Test("pages, filters by action and searches by name, e-mail or file:line, with the field-level diff")
    func pagesAndSearches() async throws {
        let folder = try Self.plan()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let server = ReportServer(index: try ReportIndex.open(folder: folder), redact: false)
        let application = Application(router: server.router())
        try await application.test(.router) { client in
            let page = try await client.execute(uri: "/", method: .get)
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("api/records"))

            let summary = try Self.json(try await client.execute(uri: "/api/summary", method: .get))
            #expect(summary["records"] as? Int == 1_000)
            #expect(summary["counts"] as? [String: Int] == ["create": 750, "update": 250])

            let updates = try Self.json(try await client.execute(uri: "/api/records?kind=update&page=2", method: .get))
            #expect(updates["total"] as? Int == 250)
            let rows = try #require(updates["rows"] as? [[String: Any]])
            #expect(rows.count == 50)
            let first = try #require(rows.first?["entry"] as? [String: Any])
            #expect(first["record"] as? Int == 804)
            let changes = try #require(first["changes"] as? [[String: Any]])
            #expect(changes.first?["old"] as? String == "Old804" && changes.first?["new"] as? String == "Maha804", "the field-level diff")

            for query in ["maha999", "MAHA999%40EXAMPLE", "crm.csv:1000"] {
                let found = try Self.json(try await client.execute(uri: "/api/records?q=\(query)", method: .get))
                let entries = try #require(found["rows"] as? [[String: Any]]).compactMap { $0["entry"] as? [String: Any] }
                #expect(entries.map { $0["record"] as? Int } == [999], "\(query)")
            }
        }
    }

    @Test("--redact masks the records and searches by file:line only")
    func redacted() async throws {
        let folder = try Self.plan()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let server = ReportServer(index: try ReportIndex.open(folder: folder), redact: true)
        try await Application(router: server.router()).test(.router) { client in
            let byName = try Self.json(try await client.execute(uri: "/api/records?q=maha999", method: .get))
            #expect(byName["total"] as? Int == 1_000, "a name is not searched: every record is listed")
            let byPlace = try await client.execute(uri: "/api/records?q=crm.csv:1000", method: .get)
            let text = String(buffer: byPlace.body)
            #expect(text.contains("M•••") && text.contains("m•••@example.com"))
            #expect(!text.contains("Maha999") && !text.contains("maha999@"))
        }
    }

    @Test("the page's script parses", .enabled(if: PageScripts.node != nil))
    func scriptParses() throws {
        #expect(try PageScripts.syntaxErrors(in: ReportServerPage.html) == nil)
    }
}
