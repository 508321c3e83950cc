import Foundation
import Testing

@testable import HatifImport

@Suite("Mapping on every core")
struct ParallelMapperTests {
    @Test("the drafts and rejects of a window mapped on several tasks are those of one record after the other, in order")
    func sameAsSequential() async throws {
        let folder = try FixtureFiles.temporaryFolder("parallel")
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appending(path: "google.csv").path
        try SampleWriter(format: .csv, dialect: .google, output: BufferedWriter(path: csv)).write(count: 3_000, generator: SampleGenerator(seed: 9))
        let mapping = try MappingFile.parse(
            """
            version: 1
            region: SA
            fields:
              - {source: First Name, target: FirstName, transforms: [trim, collapse-spaces]}
              - {source: Last Name, target: LastName, transforms: [trim, collapse-spaces]}
              - {source: Phone 1 - Value, target: PhoneNumber}
              - {source: Phone 2 - Value, target: PhoneNumber}
              - {source: E-mail 1 - Value, target: Email}
              - {source: Custom Field 1 - Value, target: "property:loyalty_tier", transforms: [{map: {gold: Gold, silver: Silver, bronze: ""}}]}
            properties:
              loyalty_tier: {displayName: Loyalty tier, type: SingleSelect, options: [Gold, Silver]}
            """)
        let mapper = Mapper(mapping: mapping)
        var source = RecordSource(files: [csv], options: ReaderOptions(), windowSize: 3_000)
        let window = try #require(try source.nextWindow())
        let records = window.items.map { item -> SourceRecord? in
            if case .record(let record) = item.item { return record }
            return nil
        }
        let sequential = records.map { $0.map(mapper.map) }
        for tasks in [1, 2, 7] {
            let parallel = await ParallelMapper(mapper: mapper, tasks: tasks).map(records)
            #expect(parallel.count == sequential.count)
            #expect(zip(parallel, sequential).allSatisfy { $0 == $1 }, "\(tasks) tasks")
        }
        #expect(sequential.contains { if case .failure? = $0 { true } else { false } }, "the sample has rejects")
        #expect(sequential.contains { if case .success? = $0 { true } else { false } })
    }
}
