import CZlib
import Foundation
import Testing

@testable import HatifImport

/// The inputs exports arrive as: XLSX workbooks written by real programs, .gz, .zip archives, folders.
@Suite("Exports as they arrive: XLSX, .gz, .zip, folders")
struct ArchiveInputTests {
    /// The committed fixtures (scripts/make-archive-fixtures.py), shared with the end-to-end tests.
    static func fixture(_ name: String) -> String {
        URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appending(path: "EndToEndTests/Fixtures/archives").appending(path: name).path
    }

    /// Each record as field name → value, empty values left out.
    static func rows(_ path: String, options: ReaderOptions = ReaderOptions()) throws -> [[String: String]] {
        let expansion = try InputCatalog.expand([path])
        var rows: [[String: String]] = []
        for input in expansion.inputs {
            var opened = try options.open(input)
            while let item = try opened.next() {
                guard case .record(let record) = item else {
                    Issue.record("reject: \(item)")
                    continue
                }
                var row: [String: String] = [:]
                for (name, value) in zip(record.fieldNames, record.fieldValues) where !value.isEmpty { row[name] = value }
                rows.append(row)
            }
        }
        return rows
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appending(path: "archives-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test(
        "workbooks saved by openpyxl and by LibreOffice, the .zip of three CSVs and the .csv.gz read as the same rows as their CSV twin",
        arguments: ["contacts-openpyxl.xlsx", "contacts-libreoffice.xlsx", "export.zip", "contacts.csv.gz"])
    func sameRowsAsTheTwin(name: String) throws {
        let twin = try Self.rows(Self.fixture("contacts.csv"))
        #expect(twin.count == 12)
        let rows = try Self.rows(Self.fixture(name))
        #expect(rows == twin)
        // What a spreadsheet is known to lose elsewhere: a long phone stored as a number, leading zeros of
        // text, dates, Arabic.
        #expect(rows.first?["Mobile"] == "966501234567")
        #expect(rows.first?["Phone"] == "0112345678")
        #expect(rows.first?["Birthday"] == "1990-05-17")
        #expect(rows.first?["Last name"] == "الحربي")
    }

    @Test("a workbook's location names the file, the sheet and the row; the first sheet is read unless --sheet names another by name or number")
    func sheetsAndLocations() throws {
        let path = Self.fixture("contacts-libreoffice.xlsx")
        var opened = try ReaderOptions().open(path)
        #expect(opened.format == .xlsx)
        #expect(opened.facts.contains { $0.contains("\"Notes\"") })
        let first = try #require(try opened.next())
        #expect(first.location.description == "\(path)[Contacts]:2")
        for choice in ["Notes", "notes", "2"] {
            var options = ReaderOptions()
            options.xlsx.sheet = choice
            let rows = try Self.rows(path, options: options)
            #expect(rows == [["Exported": "2026-11-30", "Rows": "12"]])
        }
        var options = ReaderOptions()
        options.xlsx.sheet = "Leads"
        #expect(throws: ReaderError.invalidOptions(path: path, reason: "no sheet Leads; its sheets are \"Contacts\", \"Notes\"")) {
            _ = try options.open(path)
        }
    }

    @Test("sample --format xlsx writes a workbook that openpyxl reads and that reads back as the CSV sample's rows, dates and numbers included")
    func sampleWorkbook() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (xlsx, csv) = (folder.appending(path: "s.xlsx").path, folder.appending(path: "s.csv").path)
        try SampleWriter(format: .xlsx, output: BufferedWriter(path: xlsx)).write(count: 300, generator: SampleGenerator(seed: 3))
        try SampleWriter(format: .csv, output: BufferedWriter(path: csv)).write(count: 300, generator: SampleGenerator(seed: 3))
        #expect(try Self.rows(xlsx) == (try Self.rows(csv)))
        let python = Process()
        python.executableURL = URL(filePath: "/usr/bin/env")
        python.arguments = [
            "python3", "-c",
            "import sys\ntry:\n import openpyxl\nexcept ImportError:\n sys.exit(0)\nprint(sum(1 for _ in openpyxl.load_workbook(sys.argv[1], read_only=True).active.iter_rows()))",
            xlsx,
        ]
        let pipe = Pipe()
        python.standardOutput = pipe
        try python.run()
        python.waitUntilExit()
        let printed = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(python.terminationStatus == 0)
        #expect(printed.isEmpty || printed == "301", "openpyxl counted \(printed) rows")
    }

    @Test("--no-header and --header-line apply to a workbook as to a CSV")
    func headerRow() throws {
        let path = Self.fixture("contacts-openpyxl.xlsx")
        var options = ReaderOptions()
        options.csv.header = .none
        let rows = try Self.rows(path, options: options)
        #expect(rows.count == 13)
        #expect(rows.first?["column1"] == "First name")
        options.csv.header = .line(2)
        let fromRow2 = try Self.rows(path, options: options)
        #expect(fromRow2.count == 11)
        #expect(fromRow2.first?["Layla"] == "محمد")
    }

    @Test("a Salesforce formatted report: the title and filters above the table and the footer below are skipped and named; the rows are records, one-value ones too")
    func reportLayout() throws {
        let path = Self.fixture("salesforce-report.xlsx")
        var opened = try ReaderOptions().open(path)
        #expect(opened.notices == [
            "rows 1–6 come before the table (a title or notes, with at most half its 7 columns) and are skipped; the header is row 8 (--header-line 1 reads row 1 as the header)"
        ])
        var records: [SourceRecord] = []
        while let item = try opened.next() {
            guard case .record(let record) = item else {
                Issue.record("reject: \(item)")
                continue
            }
            records.append(record)
        }
        #expect(records.map(\.ordinal) == Array(1...7) && records.map(\.location.line) == Array(9...15))
        #expect(records.first?.fieldNames == ["First Name", "Last Name", "Title", "Email", "Mobile", "Account Name", "Mailing City"])
        #expect(records.map { $0.first("Email") ?? "" } == ["sara@example.com", "omar@example.com", "lina@example.com", "", "yusuf@example.com", "noor@example.com", ""])
        #expect(records.last?.first("Mobile") == "+966 55 000 1111", "the last contacts, with one value each, are records")
        #expect(opened.endNotices == [
            "rows 16–17 come after the table with one value each (a footer, as reports end: \"Confidential Information - Do Not Distribute\") and are skipped"
        ])
        // Resuming at each record reads the same records from there.
        for (index, record) in records.enumerated() {
            var resumed = try ReaderOptions().open(path, startAt: ReadPosition(byteOffset: 0, line: record.location.line, ordinal: record.ordinal))
            var rest: [SourceRecord] = []
            while let item = try resumed.next() { if case .record(let again) = item { rest.append(again) } }
            #expect(rest == Array(records[index...]))
        }
        // An explicit header row is taken as it is: the footer rows are then records of one value.
        var options = ReaderOptions()
        options.csv.header = .line(1)
        let asked = try options.open(path)
        #expect(asked.notices.isEmpty)
    }

    @Test("the entries of one archive share its fingerprint, read once, each under its own name")
    func archiveFingerprints() throws {
        let inputs = try InputCatalog.expand([Self.fixture("export.zip")]).inputs
        let fingerprints = try InputFingerprint.of(paths: inputs)
        #expect(fingerprints.map(\.path) == inputs)
        #expect(Set(fingerprints.map(\.sha256)).count == 1)
        #expect(fingerprints[0].size == Int64((try Data(contentsOf: URL(filePath: Self.fixture("export.zip")))).count))
    }

    @Test("shared strings past the memory budget spill to a temporary file and read back the same")
    func sharedStringsSpill() throws {
        let path = Self.fixture("contacts-libreoffice.xlsx")
        var options = ReaderOptions()
        options.xlsx.sharedStringsBudget = 64
        let opened = try options.open(path)
        #expect(opened.facts.contains { $0.contains("spilled to a temporary file") })
        #expect(try Self.rows(path, options: options) == (try Self.rows(path)))
    }

    @Test("cells as a user sees them: E-notation integers as digits, serial dates in the 1900 and 1904 systems, times")
    func cellValues() {
        func plain(_ text: String) -> String? { Array(text.utf8).withUnsafeBufferPointer { XLSXCellValue.plainInteger($0) } }
        #expect(plain("9.66501234567E+11") == "966501234567")
        #expect(plain("1E+3") == "1000")
        #expect(plain("1.5E-3") == nil)
        #expect(plain("1.23456E+2") == nil)
        #expect(plain("966501234567") == nil)
        func shown(_ text: String) -> String? { Array(text.utf8).withUnsafeBufferPointer { XLSXCellValue.shown($0) } }
        #expect(shown("93.59999999999999") == "93.6")
        #expect(shown("79.40000000000001") == "79.4")
        #expect(shown("0.30000000000000004") == "0.3")
        #expect(shown("2231.4") == nil)
        #expect(shown("966501234567") == nil)
        func date(_ text: String, _ uses1904: Bool = false) -> String? {
            Array(text.utf8).withUnsafeBufferPointer { XLSXCellValue.date(serial: $0, uses1904: uses1904) }
        }
        #expect(date("1") == "1900-01-01")
        #expect(date("59") == "1900-02-28")
        #expect(date("61") == "1900-03-01")
        #expect(date("33010") == "1990-05-17")
        #expect(date("33010.5") == "1990-05-17T12:00:00")
        #expect(date("0.75") == "18:00:00")
        #expect(date("0", true) == "1904-01-01")
        #expect(date("31548", true) == "1990-05-17")
        #expect(SampleWriter.serialDate("1990-05-17") == 33010)
    }

    @Test("a .gz made of several members (cat a.gz b.gz) reads as one file")
    func concatenatedGzip() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appending(path: "joined.csv.gz").path
        let first = try Self.gzip(Array("name,phone\nA,0501234567\n".utf8))
        let second = try Self.gzip(Array("B,0501234568\n".utf8))
        try Data(first + second).write(to: URL(filePath: path))
        #expect(try Self.rows(path) == [["name": "A", "phone": "0501234567"], ["name": "B", "phone": "0501234568"]])
    }

    @Test("a folder means its supported files in name order, and a .zip its supported entries; the rest is listed as skipped")
    func foldersAndArchives() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["b.csv", "a.vcf", "c.xml.gz", ".hidden.csv", "notes.txt", "photo.jpg"] {
            _ = FileManager.default.createFile(atPath: folder.appending(path: name).path, contents: Data())
        }
        try FileManager.default.createDirectory(at: folder.appending(path: "sub"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.fixture("export.zip"), toPath: folder.appending(path: "d.zip").path)
        let expansion = try InputCatalog.expand([folder.path, "-"])
        let prefix = folder.path + "/"
        #expect(
            expansion.inputs == [
                prefix + "a.vcf", prefix + "b.csv", prefix + "c.xml.gz", prefix + "d.zip!Contact-1.csv", prefix + "d.zip!Contact-2.csv",
                prefix + "d.zip!Contact-3.csv", "-",
            ])
        #expect(expansion.notices.contains { $0.contains("skipped notes.txt") })
        #expect(expansion.notices.contains { $0.contains("skipped photo.jpg") })
        #expect(expansion.notices.contains { $0.contains("skipped README.pdf") })
        #expect(expansion.notices.contains { $0.contains("folder sub") })
        #expect(throws: ReaderError.self) { _ = try InputCatalog.expand(["-", "-"]) }
        let empty = folder.appending(path: "sub").path
        #expect(throws: ReaderError.self) { _ = try InputCatalog.expand([empty]) }
    }

    @Test("a resumed run reads a workbook, a .gz and a zip entry again from the start and goes on after the committed records", arguments: [
        "contacts-libreoffice.xlsx", "contacts.csv.gz", "export.zip!Contact-2.csv",
    ])
    func resumeByOrdinal(name: String) throws {
        let path = Self.fixture(name)
        var whole = RecordSource(files: [path], options: ReaderOptions(), windowSize: 3)
        var windows: [RecordWindow] = []
        while let window = try whole.nextWindow() { windows.append(window) }
        let all = windows.flatMap(\.items).map(\.item)
        let position = windows[0].next
        var resumed = RecordSource(files: [path], options: ReaderOptions(), windowSize: 3, resumingAt: position)
        var replayed: [ReadItem] = []
        while let items = try resumed.nextReplayed() { replayed += items.map(\.item) }
        var rest: [ReadItem] = []
        while let window = try resumed.nextWindow() { rest += window.items.map(\.item) }
        #expect(replayed == Array(all.prefix(3)))
        #expect(rest == Array(all.dropFirst(3)))
    }

    /// `bytes` gzipped.
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ReaderError.readFailed(path: "gzip", reason: "deflateInit2")
        }
        defer { deflateEnd(&stream) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: bytes.count + 1024)
        let produced = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                _ = deflate(&stream, Z_FINISH)
                return target.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(produced))
    }
}
