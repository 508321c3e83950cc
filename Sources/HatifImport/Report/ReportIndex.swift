import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An index over a report folder's `plan.jsonl` (a dry run) or `results.jsonl` (a run), built once and
/// kept beside it in `report-index/`, so that `report serve` pages, filters and searches a plan of any size
/// without holding it in memory:
/// - `records.bin`: per record, where its line starts, its length and its kind (16 bytes);
/// - `kind-<kind>.bin`: the numbers of the records of each kind (4 bytes each);
/// - `search.txt`: per record one lower-cased line of what a search looks at (`file:line`, names, phone,
///   e-mail, contact ids, reasons), read line by line (``PhysicalLineReader``) on each search;
/// - `index.json`: the size and time of the file it indexes (a changed file is indexed again) and the counts.
public struct ReportIndex: Sendable {
    /// The kinds of record, as `PlanEntry.Category.name` names them.
    public static let kinds = ["create", "update", "unchanged", "merged", "conflict", "reject", "failed", "delete"]
    static let recordSize = 16
    static let version = 2

    /// What the index describes, as `index.json` holds it.
    public struct Description: Sendable, Codable, Hashable {
        public var version: Int
        /// `plan.jsonl` or `results.jsonl`.
        public var source: String
        public var size: Int64
        public var modified: Double
        /// `dry-run` or `run`.
        public var mode: String
        public var records: Int
        public var counts: [String: Int]
    }

    /// One page of records.
    public struct Page: Sendable {
        /// Records that pass the filter and the search, in all.
        public var total: Int
        /// The page's records: their numbers (0-based, in file order) and entries.
        public var entries: [(number: Int, entry: PlanEntry)]
    }

    /// The report folder.
    public let folder: URL
    public let description: Description
    private var indexFolder: URL { folder.appending(path: "report-index") }

    /// Opens the index of the report in `folder`, building it first when it is missing or older than its
    /// file; `progress` hears of the records indexed so far while it builds.
    public static func open(folder: String, progress: (Int) -> Void = { _ in }) throws -> ReportIndex {
        let url = URL(fileURLWithPath: folder)
        let candidates = [("plan.jsonl", "dry-run"), ("results.jsonl", "run")]
        guard let (name, mode) = candidates.first(where: { FileManager.default.fileExists(atPath: url.appending(path: $0.0).path) }) else {
            throw ReportIndexError.noReport(folder: folder)
        }
        let source = url.appending(path: name).path
        let attributes = try FileManager.default.attributesOfItem(atPath: source)
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let indexFolder = url.appending(path: "report-index")
        if let data = try? Data(contentsOf: indexFolder.appending(path: "index.json")),
            let known = try? JSONDecoder().decode(Description.self, from: data),
            known.version == version, known.source == name, known.size == size, known.modified == modified
        {
            return ReportIndex(folder: url, description: known)
        }
        let description = try build(source: source, name: name, mode: mode, size: size, modified: modified, into: indexFolder, progress: progress)
        return ReportIndex(folder: url, description: description)
    }

    private static func build(
        source: String, name: String, mode: String, size: Int64, modified: Double, into folder: URL, progress: (Int) -> Void
    ) throws -> Description {
        let manager = FileManager.default
        try? manager.removeItem(at: folder)
        try manager.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let records = try BufferedWriter(path: folder.appending(path: "records.bin").path)
        let search = try BufferedWriter(path: folder.appending(path: "search.txt").path)
        var kindWriters: [String: BufferedWriter] = [:]
        for kind in kinds { kindWriters[kind] = try BufferedWriter(path: folder.appending(path: "kind-\(kind).bin").path) }
        var counts: [String: Int] = [:]
        var number = 0
        try ResultsFile.forEachEntry(in: source) { entry, offset, length in
            let kind = entry.category.name
            var record = [UInt8](repeating: 0, count: recordSize)
            withUnsafeBytes(of: UInt64(offset).littleEndian) { record.replaceSubrange(0..<8, with: $0) }
            withUnsafeBytes(of: UInt32(clamping: length).littleEndian) { record.replaceSubrange(8..<12, with: $0) }
            record[12] = UInt8(kinds.firstIndex(of: kind) ?? 0)
            try records.write(bytes: record)
            try search.write(searchText(entry) + "\n")
            try withUnsafeBytes(of: UInt32(number).littleEndian) { bytes throws(WriterError) in try kindWriters[kind]?.write(bytes: bytes) }
            counts[kind, default: 0] += 1
            number += 1
            if number % 100_000 == 0 { progress(number) }
        }
        try records.flush()
        try search.flush()
        for writer in kindWriters.values { try writer.flush() }
        let description = Description(version: version, source: name, size: size, modified: modified, mode: mode, records: number, counts: counts)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let index = try BufferedWriter(path: folder.appending(path: "index.json").path)
        try index.write(bytes: try encoder.encode(description))
        try index.flush()
        return description
    }

    /// What a search looks at, lower-cased on one line: `file:line`, the names, phone and e-mail (old and
    /// new), the contact ids and the reasons (a rejected value is in its reason).
    static func searchText(_ entry: PlanEntry) -> String {
        var parts = ["\(URL(fileURLWithPath: entry.file).lastPathComponent):\(entry.line)"]
        for change in entry.changes where ["FirstName", "LastName", "PhoneNumber", "Email"].contains(change.field) {
            if let old = change.old { parts.append(old) }
            if let new = change.new { parts.append(new) }
        }
        parts += entry.contactIDs
        parts += entry.reasons
        // One line each: a line break in a value would split it (search.txt is read by physical lines).
        return parts.joined(separator: " ").lowercased().replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
    }

    /// The records of `kind` (nil: all) whose search text holds `query` (case ignored; empty: all), the
    /// `page`-th page of `pageSize`.
    public func page(kind: String?, query: String, page: Int, pageSize: Int) throws -> Page {
        let kindCode = kind.flatMap { Self.kinds.firstIndex(of: $0) }.map(UInt8.init)
        if kind != nil && kindCode == nil { return Page(total: 0, entries: []) }
        let needle = Array(query.lowercased().trimmingCharacters(in: .whitespaces).utf8)
        // A page past the end (or any page number a URL can hold) is an empty page, never an overflow.
        let pageSize = max(1, pageSize)
        let first = min(max(0, page), Int(Int32.max)) * pageSize
        let records = try InputFile(rawPath: indexFolder.appending(path: "records.bin").path)
        var numbers: [Int] = []
        var total = 0
        if needle.isEmpty {
            if let kind {
                let list = try InputFile(rawPath: indexFolder.appending(path: "kind-\(kind).bin").path)
                total = Int(list.size / 4)
                if first < total {
                    let bytes = try Self.read(list, at: Int64(first * 4), count: min(pageSize, total - first) * 4)
                    numbers = stride(from: 0, to: bytes.count, by: 4).map { Int(Self.uint32(bytes, at: $0)) }
                }
            } else {
                total = description.records
                if first < total { numbers = Array(first..<min(total, first + pageSize)) }
            }
        } else {
            // The kinds of every record, read once per search, to filter the matches (1 byte each).
            var kindsOf: [UInt8] = []
            if kindCode != nil {
                let all = try Self.read(records, at: 0, count: Int(records.size))
                kindsOf = stride(from: 12, to: all.count, by: Self.recordSize).map { all[$0] }
            }
            try Self.scan(path: indexFolder.appending(path: "search.txt").path, for: needle) { number in
                if let kindCode, number < kindsOf.count, kindsOf[number] != kindCode { return }
                if total >= first && numbers.count < pageSize { numbers.append(number) }
                total += 1
            }
        }
        let source = try InputFile(rawPath: folder.appending(path: description.source).path)
        let decoder = JSONDecoder()
        var entries: [(number: Int, entry: PlanEntry)] = []
        for number in numbers {
            let record = try Self.read(records, at: Int64(number * Self.recordSize), count: Self.recordSize)
            guard record.count == Self.recordSize else { continue }
            var offset: UInt64 = 0
            for index in (0..<8).reversed() { offset = offset << 8 | UInt64(record[index]) }
            let length = Int(Self.uint32(record, at: 8))
            let line = try Self.read(source, at: Int64(offset), count: length)
            entries.append((number, try decoder.decode(PlanEntry.self, from: Data(line))))
        }
        return Page(total: total, entries: entries)
    }

    /// Calls `match` with the number (0-based) of each line of the file at `path` that holds `needle`.
    static func scan(path: String, for needle: [UInt8], match: (Int) -> Void) throws {
        var lines = PhysicalLineReader(file: try InputFile(rawPath: path), startOffset: 0, line: 0, maxLineBytes: 64 << 20)
        while let info = try lines.advance() {
            guard let base = lines.line.baseAddress else { continue }
            if contains(base, from: 0, to: lines.line.count, needle) { match(info.number) }
        }
    }

    /// Up to `count` bytes of `file` from `offset` (fewer at its end).
    private static func read(_ file: InputFile, at offset: Int64, count: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        _ = try file.read(at: offset, count: count, into: &bytes)
        return bytes
    }

    /// Whether the bytes from `start` to `end` hold `needle` (not empty): `memchr` to its first byte,
    /// then `memcmp`.
    private static func contains(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        var position = start
        while end - position >= needle.count {
            guard let hit = memchr(base + position, Int32(first), end - needle.count + 1 - position) else { return false }
            let index = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base
            let equal = needle.withUnsafeBytes { bytes in bytes.baseAddress.map { memcmp(base + index, $0, needle.count) == 0 } ?? false }
            if equal { return true }
            position = index + 1
        }
        return false
    }

    static func uint32(_ bytes: [UInt8], at index: Int) -> UInt32 {
        UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2]) << 16 | UInt32(bytes[index + 3]) << 24
    }
}

/// Why a report cannot be served.
public enum ReportIndexError: Error, CustomStringConvertible, Sendable {
    case noReport(folder: String)

    public var description: String {
        switch self {
        case .noReport(let folder):
            "\(folder) holds no plan.jsonl (written by import --dry-run) or results.jsonl (written by an import): name the --report folder of a dry run or a run."
        }
    }
}
