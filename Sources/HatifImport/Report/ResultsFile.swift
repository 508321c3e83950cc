import Foundation

/// `results.jsonl`: one line per record as its window commits — the plan entry with the outcome and the
/// contact id — so a crash loses nothing that was committed and a resume lists no record twice.
public final class ResultsFile {
    /// The file's path.
    public let path: String
    private let writer: BufferedWriter

    /// Opens the file of a run that has committed `keeping` bytes of it (0 for a new run) and drops
    /// anything after them; a file shorter than that means the report folder is not the run's.
    public init(path: String, keeping: Int64) throws {
        self.path = path
        if keeping > 0 {
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? nil
            guard let size, size >= keeping else {
                throw CheckpointError.inputsChanged(
                    reason: "\(path) holds fewer results than the checkpoint counts; resume with the same --report folder")
            }
        }
        writer = try BufferedWriter(path: path, keeping: keeping)
    }

    /// Appends one record's line.
    public func append(_ entry: PlanEntry) throws(WriterError) {
        try writer.write { bytes in
            entry.appendJSON(to: &bytes)
            bytes.append(0x0A)
        }
    }

    /// Writes out what is buffered, durably; returns the file's length (for the checkpoint).
    public func sync() throws(WriterError) -> Int64 { try writer.sync() }

    /// Reads the entries of `path` (`results.jsonl` or `plan.jsonl`) in order, one line at a time.
    public static func forEachEntry(in path: String, _ body: (PlanEntry) throws -> Void) throws {
        try forEachEntry(in: path) { entry, _, _ in try body(entry) }
    }

    /// Reads the entries of `path` in order, each with where its line starts and how long it is.
    static func forEachEntry(in path: String, located body: (PlanEntry, _ offset: Int64, _ length: Int) throws -> Void) throws {
        let file = try InputFile(rawPath: path)
        var lines = PhysicalLineReader(file: file, startOffset: 0, line: 1, maxLineBytes: 64 << 20)
        let decoder = JSONDecoder()
        while let info = try lines.advance() {
            guard !lines.line.isEmpty else { continue }
            do {
                try body(try decoder.decode(PlanEntry.self, from: Data(lines.line)), info.offset, lines.line.count)
            } catch let error as DecodingError {
                throw ReaderError.readFailed(path: path, reason: "line \(info.number) is not a plan or results line (\(error))")
            }
        }
    }
}
