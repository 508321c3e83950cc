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
}
