import HatifAPI
import Foundation
import Testing

@testable import HatifImport

@Suite("vCard reader")
struct VCardReaderTests {
    private func read(_ name: String) throws -> [ReadItem] {
        var reader = try VCardReader(path: FixtureFiles.path("vcard/\(name)"))
        return try reader.readAll()
    }

    private func field(_ record: SourceRecord?, _ name: String) -> SourceField? {
        record?.fields.first { $0.name == name }
    }

    @Test("iCloud 3.0: groups with X-ABLabel, TYPE in repeated form, structured N and ADR, escapes, skipped PHOTO")
    func iCloud() throws {
        let items = try read("icloud-3.0.vcf")
        #expect(items.count == 2)
        let sara = try #require(items[0].record)
        #expect(sara.location.line == 1)
        #expect(sara.first("N.family") == "Al-Harbi")
        #expect(sara.first("N.given") == "Sara")
        #expect(sara.first("ORG") == "Hatif Trading")
        #expect(sara.first("ORG.unit") == "Sales")
        let tels = sara.fields.filter { $0.name == "TEL" }
        #expect(tels.map(\.value) == ["+966 50 011 1222", "+966 11 234 5678"])
        #expect(tels[0].parameter("type") == ["CELL", "VOICE", "PREF"])
        #expect(tels[0].group == "item1")
        #expect(sara.fields.first { $0.name == "X-ABLABEL" && $0.group == "item1" }?.value == "_$!<Mobile>!$_")
        #expect(sara.first("ADR.street") == "King Fahd Rd, Tower 2")
        #expect(sara.first("ADR.locality") == "Riyadh")
        #expect(sara.first("ADR.postalCode") == "12211")
        #expect(field(sara, "ADR.street")?.parameter("TYPE") == ["HOME", "PREF"])
        #expect(sara.first("NOTE") == "Met at the expo\nFollow up in March")
        #expect(sara.values("CATEGORIES") == ["VIP", "Riyadh"])
        let photo = try #require(field(sara, "PHOTO"))
        #expect(photo.value == "")
        #expect(photo.parameter("X-SKIPPED-BYTES") == ["68268"], "the base64 of 51,200 bytes, unfolded")
        let omar = try #require(items[1].record)
        #expect(omar.location.line > 900)
        #expect(field(omar, "TEL")?.parameter("TYPE") == ["CELL", "VOICE"])
    }

    @Test("Android 2.1: quoted-printable Arabic names across soft breaks, bare TYPE parameters, CHARSET=windows-1252")
    func android() throws {
        let items = try read("android-2.1.vcf")
        #expect(items.count == 2)
        let mohammed = try #require(items[0].record)
        #expect(mohammed.first("N.family") == "العتيبي")
        #expect(mohammed.first("N.given") == "محمد")
        #expect(mohammed.first("FN") == "محمد العتيبي")
        let tel = try #require(field(mohammed, "TEL"))
        #expect(tel.value == "0501112233")
        #expect(tel.parameter("TYPE") == ["CELL", "PREF"])
        #expect(mohammed.values("TEL") == ["0501112233", "011-2345678"])
        let juergen = try #require(items[1].record)
        #expect(juergen.first("N.family") == "Müller")
        #expect(juergen.first("N.given") == "Jürgen")
        #expect(field(juergen, "TEL")?.parameter("TYPE") == ["WORK", "VOICE"])
        #expect(field(juergen, "PHOTO") != nil, "the 2.1 base64 photo ended by a blank line was skipped")
    }

    @Test("4.0: quoted TYPE lists, PREF, tel: URIs, list values, every escape, data: URI photo, X- properties")
    func version4() throws {
        let record = try #require(try read("v4.0.vcf").first?.record)
        #expect(record.first("N.prefix") == "Dr.")
        #expect(record.first("N.additional") == "Marie")
        #expect(record.values("NICKNAME") == ["Clo", "Chlo"])
        let tel = try #require(field(record, "TEL"))
        #expect(tel.value == "+33-6-12-34-56-78")
        #expect(tel.parameter("TYPE") == ["CELL", "VOICE"])
        #expect(tel.parameter("PREF") == ["1"])
        #expect(record.first("X-CRM-ID") == "CRM-0042")
        #expect(record.first("NOTE") == "Likes , commas; and semicolons\\ and\nnewlines")
        #expect(field(record, "PHOTO")?.value == "")
    }

    @Test("Apple's stand-in year for a date without one (X-APPLE-OMIT-YEAR=1604) becomes a date without a year, as 4.0 writes it; other dates stay as written")
    func omittedYear() throws {
        let text = [
            "BEGIN:VCARD", "VERSION:3.0", "N:Haddad;Sara;;;", "BDAY;X-APPLE-OMIT-YEAR=1604:1604-05-17",
            "item1.X-ABDATE;X-APPLE-OMIT-YEAR=1604;type=pref:1604-11-02", "END:VCARD",
            "BEGIN:VCARD", "VERSION:3.0", "N:Ali;Omar;;;", "BDAY;X-APPLE-OMIT-YEAR=1604:1990-05-17", "END:VCARD",
            "BEGIN:VCARD", "VERSION:3.0", "N:Saleh;Lina;;;", "BDAY;value=date:1604-05-17", "END:VCARD",
        ].joined(separator: "\r\n") + "\r\n"
        let records = try readText(text).compactMap(\.record)
        #expect(records.map { $0.first("BDAY") } == ["--05-17", "1990-05-17", "1604-05-17"])
        #expect(records.first?.first("X-ABDATE") == "--11-02")
        #expect(Transform.date(["yyyy-MM-dd"]).apply("--05-17", phones: nil) == .failure("a date without a year (--05-17); a date needs one"))
    }

    @Test("a broken card is a reject with its line, and the cards after it still read")
    func brokenCards() throws {
        let items = try read("broken.vcf")
        #expect(items.map(\.ordinal) == [1, 2, 3, 4, 5, 6])
        #expect(items[0].record?.first("N.family") == "One")
        #expect(items[1].reject?.location.line == 6)
        #expect(items[1].reject?.reason == "line 9 is not a vCard property (no ':')")
        #expect(items[2].reject?.reason == "the card has no END:VCARD before the next BEGIN:VCARD")
        #expect(items[2].reject?.location.line == 12)
        #expect(items[3].record?.first("N.family") == "Four")
        #expect(items[4].reject?.reason.contains("unsupported VERSION 5.0") == true)
        #expect(items[5].reject?.reason == "the card has no END:VCARD before the end of the file")
    }

    @Test("a multi-megabyte inline photo on one line is skipped with bounded memory and the card still reads")
    func hugePhotoLine() throws {
        var bytes = Array("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Big;Photo;;;\r\nPHOTO;ENCODING=b;TYPE=JPEG:".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "Q"), count: 8 << 20)
        bytes += Array("\r\nTEL:+966500111222\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nN:Next;One;;;\r\nEND:VCARD\r\n".utf8)
        let path = try FixtureFiles.temporary(bytes, suffix: ".vcf")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = try VCardReader(path: path)
        let items = try reader.readAll()
        #expect(items.count == 2)
        #expect(items[0].record?.first("TEL") == "+966500111222")
        #expect(items[0].record?.fields.first { $0.name == "PHOTO" }?.parameter("X-SKIPPED-BYTES") == ["\(8 << 20)"])
        #expect(items[1].record?.first("N.family") == "Next")
    }

    @Test("a text value over the cap rejects its card", arguments: [false, true])
    func oversizedValue(folded: Bool) throws {
        let note = String(repeating: "n", count: 2 << 20)
        let value = folded ? stride(from: 0, to: note.count, by: 70_000).map { _ in String(repeating: "n", count: 70_000) }.joined(separator: "\r\n ") : note
        let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:\(value)\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nTEL:+1\r\nEND:VCARD\r\n"
        let path = try FixtureFiles.temporary(Array(text.utf8), suffix: ".vcf")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = try VCardReader(path: path)
        let items = try reader.readAll()
        #expect(items[0].reject?.reason.contains("longer than 1048576 bytes") == true)
        #expect(items[1].record?.first("TEL") == "+1")
    }

    @Test("resuming at a card's position reads the same items as reading through", arguments: [
        "icloud-3.0.vcf", "android-2.1.vcf", "broken.vcf",
    ])
    func resume(name: String) throws {
        let all = try read(name)
        for (index, item) in all.enumerated() {
            let position = ReadPosition(byteOffset: item.location.byteOffset, line: item.location.line, ordinal: item.ordinal)
            var resumed = try VCardReader(path: FixtureFiles.path("vcard/\(name)"), startAt: position)
            #expect(try resumed.readAll() == Array(all[index...]))
        }
    }

    @Test("a file saved as UTF-16 (with a byte-order mark or without, either byte order) reads as its text, and resumes", arguments: [
        (bigEndian: false, mark: true), (bigEndian: true, mark: true), (bigEndian: false, mark: false),
    ])
    func utf16(bigEndian: Bool, mark: Bool) throws {
        // Cards with surrogate pairs (an emoji) and Arabic; `utf16ChunkEdges` puts a pair across the decoder's chunks.
        var text = ""
        for index in 0..<400 {
            text += "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Al-Harbi;Sara \(index);;;\r\nNOTE:\(String(repeating: "x", count: index % 97))😀 مرحبا\r\n"
            text += "EMAIL:sara\(index)@example.com\r\nEND:VCARD\r\n"
        }
        var bytes: [UInt8] = mark ? (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) : []
        for unit in text.utf16 { bytes += bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let path = try FixtureFiles.temporary(bytes, suffix: ".vcf")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let utf8 = try FixtureFiles.temporary(Array(text.utf8), suffix: ".vcf")
        defer { try? FileManager.default.removeItem(atPath: utf8) }
        var reader = try VCardReader(path: path)
        let items = try reader.readAll()
        var plain = try VCardReader(path: utf8)
        let expected = try plain.readAll()
        #expect(items.count == 400)
        #expect(items.compactMap(\.record).map(\.valueList) == expected.compactMap(\.record).map(\.valueList))
        #expect(items.map(\.location.line) == expected.map(\.location.line))
        for index in [1, 199, 399] {
            let item = items[index]
            let position = ReadPosition(byteOffset: item.location.byteOffset, line: item.location.line, ordinal: item.ordinal)
            var resumed = try VCardReader(path: path, startAt: position)
            #expect(try resumed.readAll().compactMap(\.record).map(\.valueList) == items[index...].compactMap(\.record).map(\.valueList))
        }
    }

    @Test("UTF-16 decodes to the same UTF-8 when a surrogate pair or a unit straddles the decoder's chunks; an odd last byte is U+FFFD")
    func utf16ChunkEdges() throws {
        for (prefix, odd) in [(DecodedInput.chunkSize / 2 - 1, false), (DecodedInput.chunkSize / 2, true)] {
            let text = String(repeating: "a", count: prefix) + "😀b" + String(repeating: "é", count: 40_000) + "😀"
            var bytes: [UInt8] = []
            for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
            if odd { bytes.append(0x41) }
            let path = try FixtureFiles.temporary(bytes, suffix: ".txt")
            defer { try? FileManager.default.removeItem(atPath: path) }
            let file = try InputFile(path: path).decodingUTF16(bigEndian: false)
            var decoded: [UInt8] = []
            var chunk: [UInt8] = []
            while try file.read(at: Int64(decoded.count), count: 10_000, into: &chunk) > 0 { decoded += chunk }
            #expect(decoded == Array(text.utf8) + (odd ? [0xEF, 0xBF, 0xBD] : []), "prefix \(prefix)")
        }
    }

    @Test("a line whose line break is the last byte the reader has read keeps its value when the next line is read on (a regression of 1d11130)", arguments: [false, true])
    func lineEndingAtTheWindowsEnd(marked: Bool) throws {
        // Each target line's LF is the last byte of a 256 KiB read, so looking at the next line reads on and
        // moves the window under the line; a view of it kept from before showed other bytes.
        let start = marked ? 3 : 0
        var text = marked ? "\u{FEFF}" : ""
        var expected: [(family: String, email: String, version: String)] = []
        func card(_ index: Int, note: String? = nil, lines: [String]? = nil) {
            let family = "Family\(index)"
            let email = "p\(index)@example.com"
            let body = lines ?? ["VERSION:3.0", "N:\(family);Given;;;", "EMAIL:\(email)"]
            text += (["BEGIN:VCARD"] + (note.map { ["NOTE:\($0)"] } ?? []) + body + ["END:VCARD"]).map { $0 + "\r\n" }.joined()
            expected.append((family, email, body.contains("VERSION:4.0") ? "4.0" : "3.0"))
        }
        var index = 0
        for (boundary, target) in [(1, "VERSION:4.0"), (2, "N:Family{i};Given;;;"), (3, "EMAIL:p{i}@example.com")] {
            let end = boundary * PhysicalLineReader.chunkSize + start
            while text.utf8.count < end - 3_000 {
                index += 1
                card(index)
            }
            index += 1
            let line = target.replacingOccurrences(of: "{i}", with: "\(index)")
            let others = ["VERSION:3.0", "N:Family\(index);Given;;;", "EMAIL:p\(index)@example.com"].filter { $0.prefix(3) != line.prefix(3) }
            let before = text.utf8.count + "BEGIN:VCARD\r\nNOTE:\r\n".utf8.count + (line + "\r\n").utf8.count
            card(index, note: String(repeating: "n", count: end - before), lines: [line] + others)
            #expect(text.utf8.count - others.map { ($0 + "\r\n").utf8.count }.reduce(0, +) - "END:VCARD\r\n".utf8.count == end)
        }
        for _ in 0..<20 {
            index += 1
            card(index)
        }
        let items = try readText(text)
        #expect(items.count == expected.count && items.allSatisfy { $0.record != nil })
        for (item, want) in zip(items, expected) {
            #expect(item.record?.first("N.family") == want.family && item.record?.first("EMAIL") == want.email, "card \(item.ordinal)")
        }
    }

    @Test("files saved with a byte-order mark and joined (cat a.vcf b.vcf) read every card, the mark in the middle too")
    func joinedFilesWithMarks() throws {
        let card = { (name: String) in "\u{FEFF}BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\(name)\r\nEMAIL:\(name.lowercased())@x.co\r\nEND:VCARD\r\n" }
        let items = try readText(card("Ana") + card("Bo") + card("Cy"))
        #expect(items.map { $0.record?.first("FN") } == ["Ana", "Bo", "Cy"])
    }

    @Test("lines outside any card (a damaged BEGIN:VCARD, text before the first card) are one reject each run, not lost in silence")
    func linesOutsideCards() throws {
        let card = { (name: String) in "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\(name)\r\nEMAIL:\(name.lowercased())@x.co\r\nEND:VCARD\r\n" }
        let text = "Exported contacts\r\n\r\n" + card("Ana") + "  \r\n\r\n" + card("Bo").replacingOccurrences(of: "BEGIN:VCARD", with: "BEGN:VCARD")
            + card("Cy") + "trailing words"
        let path = try FixtureFiles.temporary(Array(text.utf8), suffix: ".vcf")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = try VCardReader(path: path)
        let items = try reader.readAll()
        #expect(items.map(\.ordinal) == [1, 2, 3, 4, 5])
        #expect(items.map { $0.record?.first("FN") } == [nil, "Ana", nil, "Cy", nil])
        #expect(items.map(\.location.line) == [1, 3, 10, 15, 20])
        #expect(items[0].reject?.reason.hasPrefix("line 1 is outside any card") == true)
        #expect(items[2].reject?.reason.hasPrefix("lines 10–14 are outside any card") == true)
        #expect(items[2].reject?.excerpt.hasPrefix("BEGN:VCARD") == true)
        #expect(items[4].reject?.reason.hasPrefix("line 20 is outside any card") == true)
        for (index, item) in items.enumerated() {
            let position = ReadPosition(byteOffset: item.location.byteOffset, line: item.location.line, ordinal: item.ordinal)
            var resumed = try VCardReader(path: path, startAt: position)
            #expect(try resumed.readAll() == Array(items[index...]))
        }
    }

    private func readText(_ text: String, options: VCardOptions = VCardOptions()) throws -> [ReadItem] {
        try FixtureFiles.readAll(text, suffix: ".vcf") { try VCardReader(path: $0, options: options) }
    }

    @Test("a reject's excerpt is the start of its own card, not of the card after it")
    func rejectExcerpts() throws {
        let items = try read("broken.vcf")
        let excerpt = try #require(items[1].reject?.excerpt)
        #expect(excerpt.hasPrefix("BEGIN:VCARD\nVERSION:3.0\nN:Two;Broken;;;\nthis line has no colon"))
        let unended = try #require(items[2].reject?.excerpt)
        #expect(unended.hasPrefix("BEGIN:VCARD\nVERSION:3.0\nN:Three;NoEnd"))
        #expect(!unended.contains("Four"), "the excerpt stops where the next card begins")
    }

    @Test("a head folded inside its parameters is read whole")
    func foldedHead() throws {
        let items = try readText("BEGIN:VCARD\r\nVERSION:3.0\r\nitem1.TEL;TY\r\n PE=CELL:+966 50\r\n  011 1222\r\nEND:VCARD\r\n")
        let tel = try #require(items.first?.record?.fields.first { $0.name == "TEL" })
        #expect(tel.value == "+966 50 011 1222")
        #expect(tel.parameter("TYPE") == ["CELL"])
        #expect(tel.group == "item1")
    }

    @Test("skipped inline binaries count toward the property cap, so a card of endless photos is a reject")
    func binariesAreCounted() throws {
        let photos = String(repeating: "PHOTO;ENCODING=b;TYPE=JPEG:QUFBQUFB\r\n", count: 30)
        let items = try readText(
            "BEGIN:VCARD\r\nVERSION:3.0\r\n\(photos)END:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nTEL:+1\r\nEND:VCARD\r\n",
            options: VCardOptions(maxProperties: 10))
        #expect(items[0].reject?.reason == "more than 10 properties")
        #expect(items[1].record?.first("TEL") == "+1")
    }

    @Test("cards of different layouts, more distinct heads than the cache holds, an overlong head and a huge card keep every name and group")
    func layoutsAndManyHeads() throws {
        var text = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:A;B;;;\r\nTEL;TYPE=CELL:1\r\nEND:VCARD\r\n"
        text += "BEGIN:VCARD\r\nVERSION:3.0\r\nTEL;TYPE=CELL:2\r\nN:C;;;;\r\nEND:VCARD\r\n"
        text += "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        for group in 1...(VCardHeadCache.capacity + 100) { text += "item\(group).TEL;TYPE=HOME:\(group)\r\n" }
        text += "END:VCARD\r\n"
        text += "BEGIN:VCARD\r\nVERSION:3.0\r\nN:A;B;;;\r\nTEL;TYPE=CELL:3\r\nitem9999.X-ABLabel:late\r\nEND:VCARD\r\n"
        // A head too long to be kept, and a card with more fields than a kept layout has.
        let longType = String(repeating: "t", count: VCardHeadCache.maxHeadBytes)
        text += "BEGIN:VCARD\r\nVERSION:3.0\r\nTEL;TYPE=\(longType):4\r\n"
        for index in 0...RecordLayouts.maxFields { text += "X-F\(index % 3):\(index)\r\n" }
        text += "END:VCARD\r\n"
        let records = try readText(text).compactMap(\.record)
        #expect(records.count == 5)
        #expect(records[4].fields.first?.parameter("TYPE") == [longType.uppercased()])
        #expect(records[4].fieldNames.count == RecordLayouts.maxFields + 2)
        #expect(records[4].fieldNames.last == "X-F\(RecordLayouts.maxFields % 3)")
        #expect(records[4].fieldValues.last == "\(RecordLayouts.maxFields)")
        #expect(records[0].fieldNames == ["N.family", "N.given", "TEL"])
        #expect(records[1].fieldNames == ["TEL", "N.family"])
        #expect(records[1].fields.first?.parameter("TYPE") == ["CELL"])
        let many = records[2].fields
        #expect(many.count == VCardHeadCache.capacity + 100)
        #expect(many.enumerated().allSatisfy { index, field in field.group == "item\(index + 1)" && field.value == "\(index + 1)" })
        #expect(records[3].fieldNames == ["N.family", "N.given", "TEL", "X-ABLABEL"])
        #expect(records[3].fields.last?.group == "item9999")
    }

    @Test("heads that share their first 16 bytes, a head that starts another, and a quoted colon in the first bytes are told apart on every card")
    func headsSharingPrefixes() throws {
        let card = (1...40).map { "X-SALESFORCE-CUSTOM-FIELD-\($0):v\($0)\r\n" }.joined()
            + "TEL:1\r\nTEL;TYPE=CELL:2\r\nTELX:3\r\nX-A;P=\"a:b\":4\r\nX-A;P=\"a:c\":5\r\nX-A:6\r\nN:F;G;;;\r\nNOTE:7\r\n"
        let text = String(repeating: "BEGIN:VCARD\r\nVERSION:3.0\r\n\(card)END:VCARD\r\n", count: 3)
        let records = try readText(text).compactMap(\.record)
        #expect(records.count == 3)
        for record in records {
            let fields = record.fields
            #expect(fields.count == 49)
            #expect(fields.prefix(40).enumerated().allSatisfy { $1.name == "X-SALESFORCE-CUSTOM-FIELD-\($0 + 1)" && $1.value == "v\($0 + 1)" })
            let rest = fields.dropFirst(40).map { "\($0.name)=\($0.value) \($0.parameters)" }
            #expect(
                rest == [
                    "TEL=1 [:]", "TEL=2 [\"TYPE\": [\"CELL\"]]", "TELX=3 [:]", "X-A=4 [\"P\": [\"a:b\"]]", "X-A=5 [\"P\": [\"a:c\"]]",
                    "X-A=6 [:]", "N.family=F [:]", "N.given=G [:]", "NOTE=7 [:]",
                ])
        }
    }

    @Test("one scan of a value tells ASCII and backslashes as a byte-by-byte look does", arguments: [1, 2] as [UInt64])
    func valueScan(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let alphabet: [UInt8] = [0x41, 0x5C, 0x7F, 0x80, 0xD8, 0xFF, 0x3B, 0x2C, 0x20, 0x5B, 0x5D]
        for _ in 0..<5000 {
            let length = Int.random(in: 0...40, using: &random)
            let bytes = (0..<length).map { _ in
                Int.random(in: 0..<4, using: &random) == 0 ? alphabet.randomElement(using: &random) ?? 0 : UInt8.random(in: 0x20...0x7E, using: &random)
            }
            let scanned = bytes.withUnsafeBufferPointer { VCardValue.scan($0) }
            #expect(scanned.ascii == bytes.allSatisfy { $0 < 0x80 })
            #expect(scanned.escapes == bytes.contains(UInt8(ascii: "\\")))
        }
    }
    @Test("splitting a value on unescaped separators by one mask (up to 64 bytes) or eight bytes at a time gives the parts a byte-by-byte split gives")
    func partsOfValues() {
        var random = SeededGenerator(seed: 7)
        let alphabet: [UInt8] = [0x5C, 0x3B, 0x2C, 0x3B, 0x5C, 0xD8, 0x00, 0x20]
        for round in 0..<20_000 {
            // Every length around the mask's 64 bytes, and whether a backslash sends a short value the long way.
            let length = round % 4 == 0 ? Int.random(in: 60...90, using: &random) : Int.random(in: 0...40, using: &random)
            let bytes = (0..<length).map { _ in
                Int.random(in: 0..<3, using: &random) == 0 ? alphabet.randomElement(using: &random) ?? 0 : UInt8.random(in: 0x41...0x5A, using: &random)
            }
            for separator in [UInt8(ascii: ";"), UInt8(ascii: ",")] {
                var parts: [[Int]] = []
                bytes.withUnsafeBufferPointer { buffer in
                    VCardValue.forEachPart(of: buffer, on: separator) { index, range in parts.append([index, range.lowerBound, range.upperBound]) }
                }
                #expect(parts == Self.partsByteByByte(bytes, on: separator), "\(bytes) on \(separator)")
            }
        }
    }

    /// The split as the reader made it before it looked at eight bytes at a time: the reference.
    private static func partsByteByByte(_ bytes: [UInt8], on separator: UInt8) -> [[Int]] {
        var parts: [[Int]] = []
        var start = 0
        var escaped = false
        for (index, byte) in bytes.enumerated() {
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == separator {
                parts.append([parts.count, start, index])
                start = index + 1
            }
        }
        parts.append([parts.count, start, bytes.count])
        return parts
    }

    @Test("a head with a NUL in its first bytes is not taken for a shorter head that a line's colon ends at the NUL's place")
    func headWithNul() throws {
        let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nAB\u{0}:1\r\nAB:::2\r\nEND:VCARD\r\n"
        let records = try readText(text).compactMap(\.record)
        #expect(records.count == 1)
        #expect(records.first?.fields.map { "\($0.name)=\($0.value)" } == ["AB\u{0}=1", "AB=::2"])
    }
}
