import Foundation
import HatifAPI
import HatifImport
import HatifSandbox
import HatifTestSupport
import Testing

@Suite("Dry run against a pre-loaded sandbox")
struct DryRunTests {
    @Test("every record gets its action and diff, no write is made, and searches stay under one per 50 records")
    func dryRun() async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "dry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appending(path: "contacts.csv").path
        var csv = "name,phone,email,tier\n"
        for index in 0..<400 { csv += "N\(index),05000\(String(format: "%05d", index)),n\(index)@example.com,Gold\n" }
        csv += "Bad,12345,,Gold\nOdd,0500099999,,Platinum\nTwin,0500000399,n399-twin@example.com,Gold\n"
        try Data(csv.utf8).write(to: URL(fileURLWithPath: input))
        let mapping = try MappingFile.parse(TestMappings.contactsWithTier)
        try await SandboxHarness.withClient { sandbox, client in
            // The workspace: the property, contacts 0–99 as they are, 100–149 with another name, and two
            // contacts sharing contact 150's phone.
            _ = try await client.createContactProperty(.init(name: "tier", displayName: "Tier", _type: .singleSelect, options: ["Gold", "Silver"]))
            for index in 0..<150 {
                let name = index < 100 ? "N\(index)" : "Old\(index)"
                _ = try await client.createContact(
                    .init(firstName: name, phoneNumber: "+96650000\(String(format: "%04d", index))", email: "n\(index)@example.com",
                          properties: [.init(name: "tier", value: "Gold")]))
            }
            for _ in 0..<2 { _ = try await client.createContact(.init(firstName: "Dup", phoneNumber: "+966500000150")) }
            await sandbox.server.statistics.reset()

            let report = try PlanReportWriter(folder: folder.appending(path: "report").path)
            let summary = try await Pipeline(
                configuration: .init(files: [input], mapping: mapping, dedup: .search), client: client
            ).dryRun(report: report)
            #expect(summary.records == 403)
            #expect(summary.merged == 1, "the last row repeats row 400's phone")
            #expect(summary.unchanged == 100)
            #expect(summary.update == 50)
            #expect(summary.conflict == 1)
            #expect(summary.create == 250)
            #expect(summary.reject == 1)
            #expect(summary.propertiesToCreate.isEmpty)
            #expect(summary.unmatchedSources.isEmpty, "every mapped field is a column")
            #expect(summary.optionsAdded == ["tier": ["Platinum"]], "a value outside the options grows the list instead of rejecting")

            let counts = await sandbox.server.statistics.snapshot()
            #expect(counts.writes == 0, "a dry run writes nothing")
            #expect(counts.count("searchContacts") <= 403 / 50)

            let lines = try String(contentsOfFile: folder.appending(path: "report/plan.jsonl").path, encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 403)
            #expect(lines[402].contains("\"action\":\"merged\"") && lines[402].contains("same key as record 400"))
            #expect(lines[100].contains("\"action\":\"update\""))
            #expect(lines[100].contains("{\"field\":\"FirstName\",\"old\":\"Old100\",\"new\":\"N100\"}"))
            #expect(lines[150].contains("\"action\":\"conflict\""))
            #expect(lines[400].contains("\"action\":\"reject\"") && lines[400].contains("not a valid number for SA"))
            #expect(lines.enumerated().allSatisfy { index, line in line.contains("\"record\":\(index + 1),") }, "file order kept")
            // Every record's action: 0–99 unchanged, 100–149 update (name), 150 conflict, 151–399 create,
            // then the bad phone, the value outside the options (a new option), and the in-file duplicate.
            for (index, line) in lines.enumerated() {
                let expected: String
                switch index {
                case 0..<100: expected = "unchanged"
                case 100..<150: expected = "update"
                case 150: expected = "conflict"
                case 151..<400, 401: expected = "create"
                case 400: expected = "reject"
                default: expected = "merged"
                }
                #expect(line.contains("\"action\":\"\(expected)\""), "record \(index + 1): \(line)")
            }
            #expect(lines[401].contains("{\"field\":\"property:tier\",\"old\":null,\"new\":\"Platinum\"}"))
            let html = try String(contentsOfFile: folder.appending(path: "report/report.html").path, encoding: .utf8)
            #expect(html.contains("\"options\":{\"tier\":[\"Platinum\"]}"), "the report lists the options to add")
        }
    }

    @Test("a mapped field that no record has is named in the dry run's and the run's summary, and in summary.json")
    func unmatchedSources() async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "dry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appending(path: "contacts.csv").path
        try Data(("name,email\n" + (0..<300).map { "N\($0),n\($0)@example.com\n" }.joined()).utf8).write(to: URL(fileURLWithPath: input))
        let mapping = try MappingFile.parse(
            "version: 1\nregion: SA\nfields:\n  - {source: Name, target: FirstName}\n  - {source: email, target: Email}\n  - {source: Mobile, target: PhoneNumber}\n")
        try await SandboxHarness.withClient { _, client in
            let configuration = Pipeline.Configuration(
                files: [input], mapping: mapping, dedup: .search, state: .sqlite(path: folder.appending(path: "state.sqlite").path))
            let dry = try await Pipeline(configuration: configuration, client: client)
                .dryRun(report: try PlanReportWriter(folder: folder.appending(path: "plan").path))
            #expect(dry.unmatchedSources == ["Name", "Mobile"])
            let run = try await Pipeline(configuration: configuration, client: client).run(outputFolder: folder.appending(path: "out").path)
            #expect(run.create == 300)
            #expect(run.unmatchedSources == ["Name", "Mobile"])
            let written = try JSONDecoder().decode(PlanSummary.self, from: Data(contentsOf: folder.appending(path: "out/summary.json")))
            #expect(written.unmatchedSources == ["Name", "Mobile"])
        }
    }

    @Test("what the readers noticed about the inputs (lines before the table, a footer after it) is in the dry run's and the run's summaries")
    func inputNotices() async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "dry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appending(path: "contacts.csv").path
        let footer = "\n\"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.\"\n\"Confidential Information - Do Not Distribute\"\n"
        try Data(("Notes:\nExported for the migration\nname,email\n" + (0..<300).map { "N\($0),n\($0)@example.com\n" }.joined() + footer).utf8)
            .write(to: URL(fileURLWithPath: input))
        let mapping = try MappingFile.parse("version: 1\nregion: SA\nfields:\n  - {source: name, target: FirstName}\n  - {source: email, target: Email}\n")
        try await SandboxHarness.withClient { _, client in
            let configuration = Pipeline.Configuration(
                files: [input], mapping: mapping, dedup: .search, state: .sqlite(path: folder.appending(path: "state.sqlite").path))
            let dry = try await Pipeline(configuration: configuration, client: client)
                .dryRun(report: try PlanReportWriter(folder: folder.appending(path: "plan").path))
            #expect(dry.create == 300)
            #expect(dry.inputNotices.count == 2 && dry.inputNotices[0].hasPrefix("\(input): lines 1–2 come before the table"), "\(dry.inputNotices)")
            #expect(dry.inputNotices.last?.hasPrefix("\(input): lines 305–306 come after the table") == true, "\(dry.inputNotices)")
            let run = try await Pipeline(configuration: configuration, client: client).run(outputFolder: folder.appending(path: "out").path)
            #expect(run.create == 300 && run.inputNotices == dry.inputNotices)
            let written = try JSONDecoder().decode(PlanSummary.self, from: Data(contentsOf: folder.appending(path: "out/summary.json")))
            #expect(written.inputNotices == dry.inputNotices)
        }
    }
}
