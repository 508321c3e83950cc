import Foundation
import Testing

@testable import HatifImport

@Suite("Checkpoint")
struct CheckpointTests {
    private func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appending(path: "checkpoint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// An input file and a mapping file in `dir`.
    private func inputs(in dir: URL) throws -> (input: String, mapping: String) {
        let input = dir.appending(path: "in.csv").path
        try Data("a,b\n1,2\n".utf8).write(to: URL(fileURLWithPath: input))
        let mapping = dir.appending(path: "m.yml").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: mapping))
        return (input, mapping)
    }

    @Test("a checkpoint is written atomically and read back the same, with no temporary file left")
    func roundTrip() async throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (input, mapping) = try inputs(in: dir)
        let path = dir.appending(path: "run.checkpoint.json").path
        var summary = PlanSummary()
        summary.create = 7
        let checkpoint = Checkpoint(
            inputs: [try InputFingerprint.of(path: input)], mapping: try InputFingerprint.of(path: mapping),
            next: RunPosition(fileIndex: 0, position: ReadPosition(byteOffset: 4, line: 2, ordinal: 1)),
            inFlight: [RecordID(fileIndex: 0, ordinal: 1)], inFlightSince: Date(timeIntervalSince1970: 1_789_999_999), summary: summary,
            updated: Date(timeIntervalSince1970: 1_790_000_000))
        let store = try CheckpointStore(path: path)
        try await store.save(checkpoint)
        #expect(try Checkpoint.load(path: path) == checkpoint)
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp"))
        #expect(checkpoint.inputs[0].sha256 == "492d5ea496056f1a6a6592241032fab764c321596317930b4fa0e1e8bc3b7470")
        #expect(checkpoint.inputs[0].size == 8)
        #expect(try Checkpoint.load(path: dir.appending(path: "none.json").path) == nil)
    }

    @Test("a changed input or mapping refuses to resume with a clear message")
    func changedInputs() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (input, mapping) = try inputs(in: dir)
        let checkpoint = Checkpoint(inputs: [try InputFingerprint.of(path: input)], mapping: try InputFingerprint.of(path: mapping))
        try checkpoint.checkResumable(inputs: [try InputFingerprint.of(path: input)], mapping: try InputFingerprint.of(path: mapping))

        try Data("a,b\n1,3\n".utf8).write(to: URL(fileURLWithPath: input))
        let changed = #expect(throws: CheckpointError.self) {
            try checkpoint.checkResumable(inputs: [try InputFingerprint.of(path: input)], mapping: try InputFingerprint.of(path: mapping))
        }
        #expect("\(changed!)".contains("content changed"))
        #expect("\(changed!)".contains("--restart"))

        try Data("a,b\n1,2\n".utf8).write(to: URL(fileURLWithPath: input))
        try Data("xy".utf8).write(to: URL(fileURLWithPath: mapping))
        let mappingChanged = #expect(throws: CheckpointError.self) {
            try checkpoint.checkResumable(inputs: [try InputFingerprint.of(path: input)], mapping: try InputFingerprint.of(path: mapping))
        }
        #expect("\(mappingChanged!)".contains("the mapping"))
    }

    @Test("a second run cannot take the lock of a checkpoint in use; it can once the first is done")
    func lock() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appending(path: "run.checkpoint.json").path
        var first: CheckpointStore? = try CheckpointStore(path: path)
        let error = #expect(throws: CheckpointError.self) { _ = try CheckpointStore(path: path) }
        #expect("\(error!)".contains("pid \(ProcessInfo.processInfo.processIdentifier)"))
        _ = first
        first = nil
        #expect(throws: Never.self) { _ = try CheckpointStore(path: path) }
    }

    @Test("a checkpoint of another format is refused with a message that says so, not resumed wrongly")
    func otherFormat() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appending(path: "old.checkpoint.json").path
        try Data(#"{"version": 1, "fileIndex": 0, "inFlight": []}"#.utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: CheckpointError.self) { try Checkpoint.load(path: path) }
        #expect("\(error!)".contains("format 1"))
        #expect("\(error!)".contains("--restart"))
    }
}
