import Foundation
import HatifAPI
@testable import HatifImport
import HatifSandbox
import HatifTestSupport
import Testing

/// `mapping init`, then `import` with that mapping unchanged, as a new user does.
@Suite("A mapping written by mapping init imports every person")
struct MappingInitImportTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// An export and, for the repository's samples, the hand-written mapping whose rejects are the file's
    /// deliberately broken rows.
    struct Export: CustomTestStringConvertible, Sendable {
        var path: String
        var handMapping: String?
        var testDescription: String { URL(fileURLWithPath: path).lastPathComponent }
    }

    static let exports: [Export] = {
        let samples = root.appending(path: "samples")
        let fixtures = Bundle.module.bundleURL.appending(path: "Fixtures/exports")
        return [
            Export(path: samples.appending(path: "google-contacts.csv").path, handMapping: samples.appending(path: "google-mapping.yml").path),
            Export(path: samples.appending(path: "outlook-contacts.csv").path, handMapping: samples.appending(path: "outlook-mapping.yml").path),
            Export(path: samples.appending(path: "excel-semicolon-1252.csv").path, handMapping: samples.appending(path: "excel-mapping.yml").path),
            Export(path: samples.appending(path: "icloud-3.0.vcf").path, handMapping: samples.appending(path: "vcard-mapping.yml").path),
            Export(path: samples.appending(path: "android-2.1.vcf").path, handMapping: samples.appending(path: "vcard-mapping.yml").path),
            Export(path: samples.appending(path: "contacts-4.0.vcf").path, handMapping: samples.appending(path: "vcard-mapping.yml").path),
            Export(path: samples.appending(path: "crm-export.xml").path, handMapping: samples.appending(path: "crm-mapping.yml").path),
            Export(path: fixtures.appending(path: "hubspot-export.csv").path),
            Export(path: fixtures.appending(path: "salesforce-export.csv").path),
            Export(path: fixtures.appending(path: "nested-names.xml").path),
        ]
    }()

    @Test("mapping init proposes no choice list on a free-text column, and the unedited mapping imports every person into the sandbox", arguments: exports)
    func initThenImport(export: Export) async throws {
        // The region is what the user says of the file (`mapping init --region FR` for a French export),
        // not a guess: the hand-written mapping's, else the default.
        let region = try export.handMapping.flatMap { try MappingFile.load(path: $0).region }
        let mapping = try MappingFile.parse(try MappingInitializer(region: region).yaml(for: [export.path]))
        for (name, definition) in mapping.properties where definition.isChoice {
            let words = Set(MappingInitializer.snakeCase(definition.displayName ?? name).split(separator: "_").map(String.init))
            #expect(words.isDisjoint(with: MappingInitializer.freeTextWords), "\(name) is a choice list on a free-text column")
        }
        for free in ["notes", "city", "company", "country", "description", "job_title"] {
            if let definition = mapping.properties[free] { #expect(definition.type == .text, "\(free) must stay Text") }
        }

        // The records only a deliberately broken row may reject: the hand-written mapping's rejects.
        var allowed = Set<Int>()
        if let hand = export.handMapping {
            let mapper = Mapper(mapping: try MappingFile.load(path: hand))
            var cursor = RecordCursor(reader: try ReaderOptions().open(export.path), path: export.path)
            while let item = cursor.advance() {
                switch item {
                case .reject(let reject): allowed.insert(reject.ordinal)
                case .record(let record): if case .failure = mapper.map(record) { allowed.insert(record.ordinal) }
                }
            }
        }

        let folder = FileManager.default.temporaryDirectory.appending(path: "init-import-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await SandboxHarness.withClient { sandbox, client in
            let configuration = Pipeline.Configuration(
                files: [export.path], mapping: mapping, dedup: .search, state: .sqlite(path: folder.appending(path: "state.sqlite").path))
            let summary = try await Pipeline(configuration: configuration, client: client).run(outputFolder: folder.path)
            var entries: [PlanEntry] = []
            try ResultsFile.forEachEntry(in: folder.appending(path: "results.jsonl").path) { entries.append($0) }
            let rejected = entries.filter { $0.outcome == .rejected || $0.outcome == .failed }
            for entry in rejected {
                #expect(allowed.contains(entry.ordinal), "record \(entry.ordinal) (line \(entry.line)) rejected: \(entry.reasons)")
            }
            if export.handMapping == nil {
                #expect(summary.reject == 0 && summary.failed == 0)
                let contacts = await sandbox.server.export().contacts
                #expect(contacts.count == summary.records, "every person of the export is a contact")
                if export.path.hasSuffix(".xml") {
                    #expect(contacts.allSatisfy { $0.firstName != nil && $0.lastName != nil }, "nested names reach FirstName and LastName")
                }
            }
        }
    }

    @Test("a choice list guessed from the first records grows with the rest: 10 cities, then 200 others, none rejected")
    func choiceListGrows() async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "grow-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appending(path: "contacts.csv").path
        let first = (0..<10).map { "City \($0)" }
        let later = (0..<200).map { "Town \($0)" }
        var csv = "email,city\n"
        for index in 0..<12_000 {
            let city = index < 2_000 ? first[index % 10] : later[index % 200]
            csv += "p\(index)@example.com,\(index % 7 == 0 && (index < 2_000 || index >= 2_200) ? city.uppercased() : city)\n"
        }
        try Data(csv.utf8).write(to: URL(fileURLWithPath: input))
        // What `mapping init` wrote before it knew better: a choice list of the first 2,000 records' cities.
        let mapping = try MappingFile.parse(
            """
            region: SA
            fields:
              - {source: email, target: Email}
              - {source: city, target: "property:city", transforms: [trim]}
            properties:
              city: {displayName: City, type: SingleSelect, options: [\(first.joined(separator: ", "))]}
            """)
        try await SandboxHarness.withClient { sandbox, client in
            let configuration = Pipeline.Configuration(
                files: [input], mapping: mapping, dedup: .search, batchSize: 500, concurrency: 8,
                state: .sqlite(path: folder.appending(path: "state.sqlite").path))
            let plan = try await Pipeline(configuration: configuration, client: client)
                .dryRun(report: try PlanReportWriter(folder: folder.appending(path: "plan").path))
            #expect(plan.reject == 0)
            #expect(plan.create == 12_000)
            #expect(plan.optionsAdded["city"] == later, "the dry run lists the 200 options it would add, in the order found")
            #expect(await sandbox.server.statistics.snapshot().writes == 0)

            let run = try await Pipeline(configuration: configuration, client: client).run(outputFolder: folder.appending(path: "run").path)
            #expect(run.reject == 0 && run.failed == 0)
            #expect(run.create == 12_000)
            #expect(run.optionsAdded["city"]?.count == 200)
            let property = try #require(try await client.allContactProperties().first { $0.name == "city" })
            #expect(property.options == first + later, "the options grown, each once whatever its case")
            let contacts = await sandbox.server.export().contacts
            #expect(contacts.count == 12_000)
            let cities = Set(contacts.compactMap { $0.properties.first { $0.name == "city" }?.value })
            #expect(cities == Set(first + later), "values spelled as their option")
        }
    }

    @Test("with options: closed a value outside the list rejects its record, as before")
    func closedListRejects() async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "closed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appending(path: "contacts.csv").path
        try Data("email,tier\na@example.com,Gold\nb@example.com,Platinum\n".utf8).write(to: URL(fileURLWithPath: input))
        let mapping = try MappingFile.parse(
            """
            region: SA
            options: closed
            fields:
              - {source: email, target: Email}
              - {source: tier, target: "property:tier"}
            properties:
              tier: {type: SingleSelect, options: [Gold, Silver]}
            """)
        try await SandboxHarness.withClient { _, client in
            let configuration = Pipeline.Configuration(files: [input], mapping: mapping, state: .sqlite(path: folder.appending(path: "state.sqlite").path))
            let run = try await Pipeline(configuration: configuration, client: client).run(outputFolder: folder.path)
            #expect(run.create == 1 && run.reject == 1)
            #expect(run.optionsAdded.isEmpty)
            let property = try #require(try await client.allContactProperties().first { $0.name == "tier" })
            #expect(property.options == ["Gold", "Silver"])
        }
    }
}
