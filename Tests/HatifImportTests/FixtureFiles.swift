import Foundation
import HatifImport

/// Paths of the test fixtures and a helper to read every item of a reader.
enum FixtureFiles {
    static func path(_ name: String) -> String {
        Bundle.module.bundleURL.appending(path: "Fixtures").appending(path: name).path
    }

    /// A fresh temporary file holding `bytes`.
    static func temporary(_ bytes: [UInt8], suffix: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appending(path: "hatif-\(UUID().uuidString)\(suffix)")
        try Data(bytes).write(to: url)
        return url.path
    }

    /// A fresh temporary folder whose name starts with `prefix`; the caller removes it.
    static func temporaryFolder(_ prefix: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appending(path: "\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Every item that the reader `open` makes reads from a temporary file holding `text`.
    static func readAll<Reader: RecordReader>(_ text: String, suffix: String, _ open: (String) throws -> Reader) throws -> [ReadItem] {
        let path = try temporary(Array(text.utf8), suffix: suffix)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = try open(path)
        return try reader.readAll()
    }
}

extension RecordReader {
    /// Every item to the end.
    mutating func readAll() throws -> [ReadItem] {
        var items: [ReadItem] = []
        while let item = try next() { items.append(item) }
        return items
    }
}

extension ReadItem {
    var record: SourceRecord? {
        if case .record(let record) = self { return record }
        return nil
    }

    var reject: SourceReject? {
        if case .reject(let reject) = self { return reject }
        return nil
    }
}

extension SourceRecord {
    /// Field values in order.
    var valueList: [String] { fields.map(\.value) }
}
