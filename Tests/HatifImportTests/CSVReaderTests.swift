import Foundation
import Testing

@testable import HatifImport

@Suite("CSV reader")
struct CSVReaderTests {
    private func read(_ name: String, _ options: CSVOptions = CSVOptions()) throws -> (CSVReader, [ReadItem]) {
        var reader = try CSVReader(path: FixtureFiles.path("csv/\(name)"), options: options)
        let items = try reader.readAll()
        return (reader, items)
    }

    @Test("quoted fields with \"\", delimiters and CRLF inside, a UTF-8 BOM and a blank line read per RFC 4180")
    func rfc4180() throws {
        let (reader, items) = try read("rfc4180-bom-crlf.csv")
        #expect(reader.headers == ["Name", "Phone", "Note"])
        #expect(reader.dialect.encoding == .utf8)
        #expect(reader.dialect.byteOrderMarkLength == 3)
        let records = items.compactMap(\.record)
        #expect(records.count == 3)
        #expect(records[0].valueList == ["Al-Harbi, Sara", "+966500111222", "said \"hi\"\r\nthen left"])
        #expect(records[1].valueList == ["Omar", "0501234567", ""])
        #expect(records[2].valueList == ["Chloé", "+33612345678", "a,b"])
        #expect(records.map(\.location.line) == [2, 4, 6])
        #expect(records.map(\.ordinal) == [1, 2, 3])
        #expect(records[0].first("Phone") == "+966500111222")
    }

    @Test("Excel's first line sep=X names the delimiter and is neither a record nor the header, in either case and quoted")
    func excelSeparatorLine() throws {
        let semicolons = "sep=;\nname;email;phone\nAna;ana@x.co;0501234567\n\"Bo; Jr\";bo@x.co;0501234568\n"
        let items = try FixtureFiles.readAll(semicolons, suffix: ".csv") { try CSVReader(path: $0) }
        #expect(items.compactMap(\.record).map(\.valueList) == [["Ana", "ana@x.co", "0501234567"], ["Bo; Jr", "bo@x.co", "0501234568"]])
        #expect(items.compactMap(\.record).first?.fieldNames == ["name", "email", "phone"])
        #expect(items.compactMap(\.record).map(\.location.line) == [3, 4])
        let quoted = "\u{FEFF}\"SEP=,\"\r\nname,email\r\nAna,ana@x.co\r\n"
        let commas = try FixtureFiles.readAll(quoted, suffix: ".csv") { try CSVReader(path: $0) }
        #expect(commas.compactMap(\.record).map(\.valueList) == [["Ana", "ana@x.co"]])
        let headless = try FixtureFiles.readAll("sep=|\nAna|ana@x.co\n", suffix: ".csv") { try CSVReader(path: $0, options: CSVOptions(header: .none)) }
        #expect(headless.compactMap(\.record).map(\.valueList) == [["Ana", "ana@x.co"]])
        // A first field that only starts like it is a header.
        let header = try FixtureFiles.readAll("sep=x,name\n1,Ana\n", suffix: ".csv") { try CSVReader(path: $0) }
        #expect(header.compactMap(\.record).first?.fieldNames == ["sep=x", "name"])
    }

    @Test("LF and lone CR line endings both end records", arguments: ["lf.csv", "cr.csv"])
    func lineEndings(name: String) throws {
        let (_, items) = try read(name)
        #expect(items.compactMap(\.record).map(\.valueList) == [["1", "2"], ["3", "4"]])
        #expect(items.map(\.location.line) == [2, 3])
    }

    @Test("the header can sit on a later line, or be absent")
    func headerPlacement() throws {
        let (preamble, preambleItems) = try read("preamble.csv", CSVOptions(header: .line(3)))
        #expect(preamble.headers == ["First", "Last"])
        #expect(preambleItems.compactMap(\.record).map(\.valueList) == [["Sara", "Al-Harbi"]])
        #expect(preambleItems.first?.location.line == 4)
        let (none, noneItems) = try read("noheader.csv", CSVOptions(header: .none))
        #expect(none.headers.isEmpty)
        #expect(noneItems.compactMap(\.record).first?.fields.map(\.name) == ["column1", "column2"])
        #expect(noneItems.count == 2)
    }

    @Test(
        "the delimiter is sniffed among , ; TAB and |",
        arguments: [("semicolon.csv", ";"), ("tab.tsv", "\t"), ("pipe.csv", "|"), ("lf.csv", ",")])
    func sniffing(name: String, delimiter: Character) throws {
        let (reader, items) = try read(name)
        #expect(reader.dialect.delimiter == delimiter.asciiValue)
        #expect(items.allSatisfy { $0.record != nil })
    }

    @Test("a ragged row is rejected with its line, stray quotes are kept and noted, blank lines are skipped")
    func messy() throws {
        let (_, items) = try read("messy.csv")
        #expect(items.count == 4)
        #expect(items[0].record?.valueList == ["Sara", "Al-Harbi", "5'10\""])
        #expect(items[0].record?.notes.isEmpty == false)
        #expect(items[1].reject?.location.line == 4)
        #expect(items[1].reject?.reason == "expected 3 fields as in the header, found 2")
        #expect(items[1].reject?.excerpt.contains("Omar") == true)
        #expect(items[2].record?.valueList == ["Layla", "Haddad Jr", "160"])
        #expect(items[2].record?.notes == ["text after a closing quote was kept"])
        #expect(items[3].record?.valueList == ["Noura", "Otaibi", "170"])
        #expect(items[3].location.line == 7)
        #expect(items.map(\.ordinal) == [1, 2, 3, 4])
    }

    @Test("a row of empty fields (as Excel saves cleared rows) is skipped like a blank line, ragged or not; a row with one value is read")
    func rowsOfEmptyFields() throws {
        let text = "Name,Phone,Email\r\n,,\r\nAna,0501234567,\r\n , \t,\r\n\"\",,\r\n,,,,\r\n,\r\n,,x@y.co\r\nBo,\"\",\r\n,,\r\n"
        let path = try FixtureFiles.temporary(Array(text.utf8), suffix: ".csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = try CSVReader(path: path)
        let items = try reader.readAll()
        #expect(items.compactMap(\.record).map(\.valueList) == [["Ana", "0501234567", ""], ["", "", "x@y.co"], ["Bo", "", ""]])
        #expect(items.map(\.location.line) == [3, 8, 9])
        #expect(items.map(\.ordinal) == [1, 2, 3], "skipped rows take no ordinal, as blank lines")
        for (index, item) in items.enumerated() {
            let position = ReadPosition(byteOffset: item.location.byteOffset, line: item.location.line, ordinal: item.ordinal)
            var resumed = try CSVReader(path: path, startAt: position)
            #expect(try resumed.readAll() == Array(items[index...]), "resumed at item \(index + 1)")
        }
    }

    @Test("lines of few fields before the table (LinkedIn's notes, a report's title) are skipped and named; the header is the table's first line")
    func preambleDetected() throws {
        let linkedIn = """
            Notes:
            "When exporting your connection data, you may notice that some of the email addresses are missing, as members choose."

            First Name,Last Name,URL,Email Address,Company,Position,Connected On
            Sara,Harbi,https://www.linkedin.com/in/sara,sara@example.com,Nile,CTO,01 Mar 2024
            Omar,Haddad,https://www.linkedin.com/in/omar,,Acme,Dev,12 Feb 2023
            Layla,Otaibi,https://www.linkedin.com/in/layla,layla@example.com,,,03 Jan 2022

            """
        let path = try FixtureFiles.temporary(Array(linkedIn.utf8), suffix: ".csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = try CSVReader(path: path)
        let items = try reader.readAll()
        #expect(reader.headers.first == "First Name" && reader.headers.count == 7)
        #expect(items.compactMap(\.record).map { $0.first("Email Address") ?? "" } == ["sara@example.com", "", "layla@example.com"])
        #expect(items.map(\.location.line) == [5, 6, 7] && items.map(\.ordinal) == [1, 2, 3])
        #expect(reader.dialect.notices.contains { $0.hasPrefix("lines 1–2 come before the table") && $0.contains("the header is line 4") })
        for (index, item) in items.enumerated() {
            var resumed = try CSVReader(
                path: path, startAt: ReadPosition(byteOffset: item.location.byteOffset, line: item.location.line, ordinal: item.ordinal))
            #expect(try resumed.readAll() == Array(items[index...]))
        }
        var asked = try CSVReader(path: path, options: CSVOptions(header: .line(1)))
        #expect(asked.headers == ["Notes:"] && asked.dialect.notices.isEmpty, "an explicit --header-line 1 is taken as it is")
        #expect(try asked.readAll().compactMap(\.reject).count == 4)

        // A title in a ;-separated file whose text has commas: the delimiter is the table's.
        let titled = "Contacts exported\r\nReport run 2026-12-01, by admin\r\nName;Phone;Email\r\nSara, Al-Harbi;0501112222;s@x.co\r\nOmar;0553334444;o@x.co\r\nLayla;0501234567;l@x.co\r\n"
        let titledPath = try FixtureFiles.temporary(Array(titled.utf8), suffix: ".csv")
        defer { try? FileManager.default.removeItem(atPath: titledPath) }
        var titledReader = try CSVReader(path: titledPath)
        #expect(titledReader.dialect.delimiter == UInt8(ascii: ";"))
        #expect(try titledReader.readAll().compactMap(\.record).map(\.valueList) == [
            ["Sara, Al-Harbi", "0501112222", "s@x.co"], ["Omar", "0553334444", "o@x.co"], ["Layla", "0501234567", "l@x.co"],
        ])

        // Not a preamble: a header one field short of rows that each end in a delimiter, and a file whose
        // first line is as wide as the rest.
        for text in ["Name,Phone,Email\nSara,050,s@x.co,\nOmar,055,o@x.co,\nLayla,050,l@x.co,\n", "a,b\nc\nd,e\nf,g\n"] {
            let plainPath = try FixtureFiles.temporary(Array(text.utf8), suffix: ".csv")
            defer { try? FileManager.default.removeItem(atPath: plainPath) }
            var plain = try CSVReader(path: plainPath)
            #expect(plain.dialect.notices.isEmpty, "\(text)")
            #expect(plain.headers.count == 3 || plain.headers == ["a", "b"])
            _ = try plain.readAll()
        }
    }

    @Test("one-value lines after the table (a Salesforce report's footer) are skipped and named; inside the table, one cut line at the end, or lines of an address or a number, they are rejects as before")
    func footerSkipped() throws {
        let table = "\"First Name\",\"Last Name\",\"Email\"\r\n\"Sara\",\"Haddad\",\"sara@example.com\"\r\n\"Omar\",\"Ali\",\"omar@example.com\"\r\n"
        let footer = "\"\"\r\n\"\"\r\n\"Contacts with Phones\"\r\n\"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.\"\r\n"
            + "\"Confidential Information - Do Not Distribute\"\r\n\"Generated By:  Sara Haddad  12/1/2026 10:14 AM\"\r\n\"Acme Holdings\"\r\n"
        func items(_ text: String) throws -> (items: [ReadItem], endNotices: [String]) {
            let path = try FixtureFiles.temporary(Array(text.utf8), suffix: ".csv")
            defer { try? FileManager.default.removeItem(atPath: path) }
            var reader = try CSVReader(path: path)
            let items = try reader.readAll()
            #expect(try reader.next() == nil, "the end stays the end")
            return (items, reader.endNotices)
        }
        let report = try items(table + footer)
        #expect(report.items.compactMap(\.record).map { $0.first("Email") } == ["sara@example.com", "omar@example.com"])
        #expect(report.items.count == 2)
        #expect(report.endNotices == [
            "lines 6–10 come after the table with one value each (a footer, as reports end: \"Contacts with Phones\") and are skipped"
        ])

        // The same lines between records are rejects, in order, with the ordinals they had.
        let inside = try items(table + footer + "\"Lina\",\"Saleh\",\"lina@example.com\"\r\n")
        #expect(inside.endNotices.isEmpty)
        #expect(inside.items.map(\.ordinal) == Array(1...8))
        #expect(inside.items.map { $0.record != nil } == [true, true, false, false, false, false, false, true])
        #expect(inside.items.map(\.location.line) == [2, 3, 6, 7, 8, 9, 10, 11])

        // One line of one value right after the table is a record cut short, and more than 16 no footer.
        let cut = try items(table + "Lin")
        #expect(cut.endNotices.isEmpty && cut.items.compactMap(\.reject).map(\.excerpt) == ["Lin"])
        let long = try items(table + (1...17).map { "\"line \($0)\"\r\n" }.joined())
        #expect(long.endNotices.isEmpty && long.items.compactMap(\.reject).count == 17)
        // Lines of one address or number are cut records, not words of a footer: rejects.
        let addresses = try items(table + "\r\nlina@example.com\r\n+966501112222\r\n")
        #expect(addresses.endNotices.isEmpty && addresses.items.compactMap(\.reject).map(\.excerpt) == ["lina@example.com", "+966501112222"])
        // Right after the header, one line of words is no footer either: nothing came between them.
        let alone = try items("\"First Name\",\"Last Name\",\"Email\"\r\nJust a note\r\n")
        #expect(alone.endNotices.isEmpty && alone.items.compactMap(\.reject).map(\.excerpt) == ["Just a note"])
        // After a blank line, one line is a footer.
        let single = try items(table + "\r\nConfidential Information - Do Not Distribute\r\n")
        #expect(single.items.count == 2 && single.endNotices.first?.hasPrefix("line 5 comes after the table") == true)
    }

    @Test("files joined one after another (cat a.csv b.csv): a line that repeats the header, after a byte-order mark too, is skipped and named; a footer before it is the first file's")
    func joinedFiles() throws {
        let bom = "\u{FEFF}"
        let first = bom + "First Name,Email\r\nSara,sara@example.com\r\nOmar,omar@example.com\r\n\r\n\"Copyright (c) 2000-2026 salesforce.com, inc.\"\r\n\"Confidential Information - Do Not Distribute\"\r\n"
        let second = bom + "First Name,Email\r\nLina,lina@example.com\r\nFirst Name,E-mail\r\n"
        let path = try FixtureFiles.temporary(Array((first + second + "First Name,Email\nHuda,huda@example.com\n").utf8), suffix: ".csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = try CSVReader(path: path)
        let items = try reader.readAll()
        #expect(items.compactMap(\.record).map { $0.first("Email") } == ["sara@example.com", "omar@example.com", "lina@example.com", "E-mail", "huda@example.com"])
        #expect(items.map(\.ordinal) == [1, 2, 3, 4, 5] && items.map(\.location.line) == [2, 3, 8, 9, 11])
        #expect(reader.endNotices == [
            "lines 5–6 come after the table with one value each (a footer, as reports end: \"Copyright (c) 2000-2026 salesforce.com, inc.\") and are skipped",
            "lines 7, 10 repeat the header (files joined one after another) and are skipped",
        ])
        for (index, item) in items.enumerated() {
            var resumed = try CSVReader(
                path: path, startAt: ReadPosition(byteOffset: item.location.byteOffset, line: item.location.line, ordinal: item.ordinal))
            #expect(try resumed.readAll() == Array(items[index...]))
        }
    }

    @Test("a Windows-1252 file with ; is detected, said so, and read correctly")
    func windows1252() throws {
        let (reader, items) = try read("excel-1252.csv")
        #expect(reader.dialect.encoding == .windows1252)
        #expect(reader.dialect.delimiter == UInt8(ascii: ";"))
        #expect(reader.dialect.notices.first?.contains("Windows-1252") == true)
        #expect(reader.headers == ["Prénom", "Nom", "Société", "Montant"])
        #expect(items.compactMap(\.record).map(\.valueList) == [
            ["Chloé", "Dubois", "Café Œuvre", "1.234,50 €"], ["José", "Muñoz", "Niño; SA", "12,00 €"],
        ])
    }

    @Test("ISO-8859-1 and ISO-8859-6 are read when named")
    func isoEncodings() throws {
        let (_, latin) = try read("latin1.csv", CSVOptions(encoding: .isoLatin1))
        #expect(latin.first?.record?.valueList == ["Jürgen", "Köln"])
        let (_, arabic) = try read("arabic-8859-6.csv", CSVOptions(encoding: .isoArabic))
        #expect(arabic.first?.record?.valueList == ["محمد", "الرياض"])
    }

    @Test("UTF-16 little and big endian with a BOM are read, with byte offsets in the raw file")
    func utf16() throws {
        let (little, littleItems) = try read("utf16le.txt")
        #expect(little.dialect.encoding == .utf16LittleEndian)
        #expect(little.dialect.delimiter == UInt8(ascii: "\t"))
        #expect(littleItems.compactMap(\.record).map(\.valueList) == [["سارة", "الحربي"], ["Chloé", "Dubois"]])
        // "\u{FEFF}First\tLast\r\n" is 2 + 12 * 2 = 26 bytes in UTF-16.
        #expect(littleItems.first?.location.byteOffset == 26)
        let (big, bigItems) = try read("utf16be.csv")
        #expect(big.dialect.encoding == .utf16BigEndian)
        #expect(bigItems.compactMap(\.record).map(\.valueList) == [["سارة", "الحربي"], ["Chloé", "Dubois"]])
    }

    @Test("an unterminated quote rejects its record and reading goes on at the next line")
    func unterminatedQuote() throws {
        let (_, items) = try read("unterminated.csv")
        #expect(items.first?.reject?.location.line == 2)
        #expect(items.first?.reject?.reason.contains("never closes") == true)
        #expect(items.compactMap(\.record).map(\.valueList) == [["2", "x"], ["3", "y"]])
        #expect(items.dropFirst().map(\.location.line) == [3, 4])
    }

    @Test("invalid UTF-8 past the sniffed first MiB of a UTF-8 file rejects that record only")
    func invalidUTF8Late() throws {
        var bytes = Array("id,name\n".utf8)
        for index in 0..<100_000 {
            if index == 90_000 { bytes += Array("999999,bad".utf8) + [0xFF, 0xFE] + Array("name\n".utf8) }
            bytes += Array("\(index),name\(index)\n".utf8)
        }
        let path = try FixtureFiles.temporary(bytes, suffix: ".csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = try CSVReader(path: path)
        let items = try reader.readAll()
        #expect(reader.dialect.encoding == .utf8)
        let rejects = items.compactMap(\.reject)
        #expect(rejects.count == 1)
        #expect(rejects.first?.location.line == 90_002)
        #expect(rejects.first?.reason.contains("invalid utf-8") == true)
        #expect(items.count == 100_001)
    }

    @Test("a field over the cap rejects its record without holding it; the next record reads")
    func oversizedField() throws {
        let big = [UInt8](repeating: UInt8(ascii: "x"), count: 3_000_000)
        let bytes = Array("a,b\n1,\"".utf8) + big + Array("\"\n2,ok\n".utf8)
        let path = try FixtureFiles.temporary(bytes, suffix: ".csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = try CSVReader(path: path)
        let items = try reader.readAll()
        #expect(items.count == 2)
        #expect(items[0].reject?.reason == "field b is longer than 1048576 bytes")
        #expect(items[1].record?.valueList == ["2", "ok"])
        #expect(items[1].location.line == 3)
    }

    @Test("records spanning chunk boundaries read exactly, and each byte offset points at its record")
    func chunkBoundariesAndOffsets() throws {
        var text = "id,name,note\r\n"
        var expected: [[String]] = []
        for index in 0..<20_000 {
            let note = index % 7 == 0 ? "line one\nline \"two\", ok" : "plain \(index)"
            let name = index % 3 == 0 ? "Ḿulti-byte ✓ \(index)" : "n\(index)"
            expected.append(["\(index)", name, note])
            text += "\(index),\(name),\"\(note.replacingOccurrences(of: "\"", with: "\"\""))\"\r\n"
        }
        let bytes = Array(text.utf8)
        let path = try FixtureFiles.temporary(bytes, suffix: ".csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = try CSVReader(path: path)
        let records = try reader.readAll().compactMap(\.record)
        #expect(records.map(\.valueList) == expected)
        for record in records.prefix(2000) {
            let start = Int(record.location.byteOffset)
            #expect(bytes[start..<(start + record.valueList[0].utf8.count + 1)].elementsEqual(Array("\(record.valueList[0]),".utf8)))
        }
    }

    @Test("resuming at a record's position reads the same records as reading through", arguments: [
        "rfc4180-bom-crlf.csv", "excel-1252.csv", "utf16le.txt", "messy.csv",
    ])
    func resume(name: String) throws {
        let (_, all) = try read(name)
        for (index, item) in all.enumerated() {
            let position = ReadPosition(byteOffset: item.location.byteOffset, line: item.location.line, ordinal: item.ordinal)
            var resumed = try CSVReader(path: FixtureFiles.path("csv/\(name)"), startAt: position)
            #expect(try resumed.readAll() == Array(all[index...]))
        }
    }

    @Test("an empty file and a header-only file give no records; a missing file is a clear error")
    func emptyInputs() throws {
        let empty = try FixtureFiles.temporary([], suffix: ".csv")
        let headerOnly = try FixtureFiles.temporary(Array("a,b,c\r\n".utf8), suffix: ".csv")
        defer {
            try? FileManager.default.removeItem(atPath: empty)
            try? FileManager.default.removeItem(atPath: headerOnly)
        }
        var emptyReader = try CSVReader(path: empty)
        #expect(try emptyReader.readAll().isEmpty)
        var headerReader = try CSVReader(path: headerOnly)
        #expect(headerReader.headers == ["a", "b", "c"])
        #expect(try headerReader.readAll().isEmpty)
        #expect(throws: ReaderError.self) { try CSVReader(path: "/nonexistent/contacts.csv") }
    }

    @Test("a binary file is refused as not text")
    func binaryFile() throws {
        let path = try FixtureFiles.temporary((0..<4096).map { UInt8(truncatingIfNeeded: $0 * 7) }, suffix: ".csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: ReaderError.self) { try CSVReader(path: path) }
    }
}

extension CSVReaderTests {
    @Test("UTF-16 without a BOM is recognised by its NUL bytes")
    func utf16WithoutBOM() throws {
        let text = "First,Last\r\nسارة,الحربي\r\nOmar,Haddad\r\n"
        let bytes = text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let path = try FixtureFiles.temporary(bytes, suffix: ".csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = try CSVReader(path: path)
        #expect(reader.dialect.encoding == .utf16LittleEndian)
        #expect(try reader.readAll().compactMap(\.record).map(\.valueList) == [["سارة", "الحربي"], ["Omar", "Haddad"]])
    }

    @Test("UTF-8 validation refuses overlongs, surrogates and cut sequences, and accepts a sample cut mid-character")
    func utf8Validation() {
        let cases: [([UInt8], Bool)] = [
            (Array("héllo ✓ 𝄞".utf8), true), ([0xC0, 0xAF], false), ([0xED, 0xA0, 0x80], false),
            ([0xF4, 0x90, 0x80, 0x80], false), ([0xE2, 0x9C], false), ([0x80], false),
        ]
        for (bytes, valid) in cases {
            #expect(bytes.withUnsafeBufferPointer(UTF8Text.isValid) == valid, "\(bytes)")
        }
        #expect(CSVDialect.firstInvalidUTF8(Array("ok ✓".utf8.dropLast())) == nil)
        #expect(CSVDialect.firstInvalidUTF8([0x41, 0xFF, 0x41]) == 1)
    }
}
