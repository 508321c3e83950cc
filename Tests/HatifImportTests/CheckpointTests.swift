import Foundation
import HatifAPI
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

    @Test("the records in flight are stored as ranges and read back in their order: 2,000 random lists of gaps, files, repeats and disorder")
    func inFlightRanges() throws {
        var random = SeededGenerator(seed: 0x5EED)
        func next(_ bound: Int) -> Int { Int.random(in: 0..<bound, using: &random) }
        let input = InputFingerprint(path: "/data/in.csv", size: 9, modified: Date(timeIntervalSinceReferenceDate: 810_000_000.25), sha256: "ab")
        for _ in 0..<2_000 {
            var ids: [RecordID] = []
            var ordinal = 1 + next(1_000)
            var file = next(3)
            for _ in 0..<next(600) {
                switch next(20) {
                case 0: ordinal += 2 + next(50)
                case 1: file = next(3)
                case 2: ordinal = 1 + next(1_000)
                case 3: ordinal -= 0  // a repeat
                default: ordinal += 1
                }
                ids.append(RecordID(fileIndex: file, ordinal: ordinal))
            }
            var checkpoint = Checkpoint(inputs: [input], mapping: input, inFlight: ids, inFlightSince: Date(timeIntervalSinceReferenceDate: 810_000_001))
            checkpoint.inFlightCreates = next(2) == 0 ? nil : Array(ids.prefix(next(ids.count + 1)))
            let text = try RunRecord.encode(checkpoint)
            #expect(try RunRecord.decode(Checkpoint.self, text) == checkpoint)
        }
        let window = (1...500).map { RecordID(fileIndex: 0, ordinal: 1_000 + $0) }.filter { $0.ordinal % 97 != 0 }
        #expect(RecordIDRanges.text(window) == "0:1001-1066,1068-1163,1165-1260,1262-1357,1359-1454,1456-1500")
        #expect(RecordIDRanges.text([RecordID(fileIndex: 0, ordinal: 9), RecordID(fileIndex: 1, ordinal: 1), RecordID(fileIndex: 1, ordinal: 2)]) == "0:9;1:1-2")
        #expect(RecordIDRanges.text([]) == "" && RecordIDRanges.ids("") == [])
        for broken in ["0", "0:", "x:1", "0:5-3", "0:1,,2", "0:1-", ":1", "0:1;", "-1:4", "0:1-999999999999"] {
            #expect(RecordIDRanges.ids(broken) == nil, "\(broken)")
        }
    }

    @Test("a checkpoint of the previous format (records in flight as objects) still resumes")
    func previousFormat() throws {
        let input = InputFingerprint(path: "/data/in.csv", size: 9, modified: Date(timeIntervalSinceReferenceDate: 810_000_000.25), sha256: "ab")
        var checkpoint = Checkpoint(inputs: [input], mapping: input, inFlight: [RecordID(fileIndex: 0, ordinal: 7), RecordID(fileIndex: 1, ordinal: 2)])
        checkpoint.inFlightCreates = [RecordID(fileIndex: 1, ordinal: 2)]
        checkpoint.version = 2
        var text = try RunRecord.encode(checkpoint)
        text = text.replacingOccurrences(of: #""inFlight":"0:7;1:2""#, with: #""inFlight":[{"fileIndex":0,"ordinal":7},{"fileIndex":1,"ordinal":2}]"#)
        text = text.replacingOccurrences(of: #""inFlightCreates":"1:2""#, with: #""inFlightCreates":[{"fileIndex":1,"ordinal":2}]"#)
        #expect(text.contains(#"{"fileIndex":0,"ordinal":7}"#) && text.contains(#""inFlightCreates":[{"#))
        #expect(try RunRecord.decode(Checkpoint.self, text) == checkpoint)
        let broken = text.replacingOccurrences(of: #""inFlightCreates":[{"fileIndex":1,"ordinal":2}]"#, with: #""inFlightCreates":"1:x""#)
        #expect(throws: DecodingError.self) { try RunRecord.decode(Checkpoint.self, broken) }
    }
}
