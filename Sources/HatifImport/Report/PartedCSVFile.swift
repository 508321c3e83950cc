import Foundation

/// A CSV written in parts of at most `rowsPerPart` rows, each with the header, so that every part opens in
/// a spreadsheet: `plan.csv`, `plan-2.csv`, `plan-3.csv`, …
final class PartedCSVFile {
    private let folder: URL
    private let stem: String
    private let header: String
    private let rowsPerPart: Int
    private let suffix: String
    private var writer: BufferedWriter
    private var rowsInPart = 0
    /// The parts' names, in order.
    private(set) var parts: [String]

    /// Opens the first part; `suffix` (`.partial`) is added to each name until ``finish()``.
    init(folder: URL, stem: String, header: String, rowsPerPart: Int, suffix: String = "") throws {
        self.folder = folder
        self.stem = stem
        self.header = header
        self.rowsPerPart = max(1, rowsPerPart)
        self.suffix = suffix
        parts = [Self.name(stem: stem, part: 1)]
        writer = try BufferedWriter(path: folder.appending(path: parts[0] + suffix).path)
        try writer.write(header + "\n")
    }

    /// `plan.csv`, `plan-2.csv`, …
    static func name(stem: String, part: Int) -> String { part == 1 ? "\(stem).csv" : "\(stem)-\(part).csv" }

    /// Appends one row (without its line end), starting a new part when this one is full.
    func append(_ row: String) throws {
        try append { JSONText.append(row, to: &$0) }
    }

    /// Appends the row that `write` appends to the bytes it is given (without its line end).
    func append(_ write: (inout [UInt8]) -> Void) throws {
        if rowsInPart == rowsPerPart {
            try writer.flush()
            parts.append(Self.name(stem: stem, part: parts.count + 1))
            writer = try BufferedWriter(path: folder.appending(path: parts[parts.count - 1] + suffix).path)
            try writer.write(header + "\n")
            rowsInPart = 0
        }
        try writer.write { bytes in
            write(&bytes)
            bytes.append(0x0A)
        }
        rowsInPart += 1
    }

    /// Writes out the last part, gives the parts their final names, and removes the further parts an
    /// earlier, longer report left in the folder.
    func finish() throws {
        try writer.flush()
        let manager = FileManager.default
        if !suffix.isEmpty {
            for name in parts {
                let final = folder.appending(path: name).path
                _ = try? manager.removeItem(atPath: final)
                try manager.moveItem(atPath: final + suffix, toPath: final)
            }
        }
        var stale = parts.count + 1
        while manager.fileExists(atPath: folder.appending(path: Self.name(stem: stem, part: stale)).path) {
            try? manager.removeItem(at: folder.appending(path: Self.name(stem: stem, part: stale)))
            stale += 1
        }
    }
}
