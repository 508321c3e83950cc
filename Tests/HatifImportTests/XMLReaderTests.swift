import Foundation
import Testing

@testable import HatifImport

@Suite("XML reader")
struct XMLReaderTests {
    private func reader(_ name: String, _ options: XMLOptions = XMLOptions()) throws -> XMLReader {
        try XMLReader(path: FixtureFiles.path("xml/\(name)"), options: options)
    }

    @Test("the record element is detected; attributes, nested paths, repeated children, CDATA and entities read")
    func crmExport() throws {
        var xml = try reader("crm-export.xml")
        #expect(xml.recordPath == ["contacts", "contact"])
        #expect(xml.notices.first?.contains("contacts/contact") == true)
        let records = try xml.readAll().compactMap(\.record)
        #expect(records.count == 3)
        let sara = records[0]
        #expect(sara.first("@id") == "c-1")
        #expect(sara.first("@status") == "active")
        #expect(sara.first("firstName") == "Sara")
        #expect(sara.values("phones/phone") == ["+966 50 011 1222", "011 234 5678"])
        #expect(sara.values("phones/phone/@type") == ["mobile", "work"])
        #expect(sara.first("address/city") == "Riyadh")
        #expect(sara.first("note") == "Prefers <email> & WhatsApp")
        #expect(sara.location.line == 4)
        let chloe = records[1]
        #expect(chloe.first("firstName") == "Chloé")
        #expect(chloe.first("lastName") == "Dubois & Fils")
        #expect(chloe.first("email") == "")
        #expect(records[2].first("firstName") == "محمد")
        #expect(records.map(\.ordinal) == [1, 2, 3])
    }

    @Test("a namespaced record several levels down is detected and prefixes are dropped")
    func namespaced() throws {
        var xml = try reader("namespaced.xml")
        #expect(xml.recordPath == ["export", "people", "person"])
        let records = try xml.readAll().compactMap(\.record)
        #expect(records.map { $0.first("name") } == ["Omar", "Layla", "Noura"])
        #expect(records.first?.first("@ref") == "1")
        #expect(records.first?.fields.contains { $0.name.contains("xmlns") } == false)
    }

    @Test("a given record path wins, with or without prefixes")
    func givenPath() throws {
        var xml = try reader("namespaced.xml", XMLOptions(recordPath: "x:export/x:meta"))
        #expect(try xml.readAll().compactMap(\.record).map { $0.first("source") } == ["HubSpot"])
    }

    @Test("empty elements with attributes only are records too")
    func attributesOnly() throws {
        var xml = try reader("attributes-only.xml")
        #expect(xml.recordPath == ["rows", "row"])
        #expect(try xml.readAll().compactMap(\.record).map { $0.first("@phone") } == ["+966500111222", "+971501234567"])
    }

    @Test("a malformed document stops at the error with line and column; records before it stay good")
    func malformed() throws {
        var text = "<?xml version=\"1.0\"?>\n<contacts>\n"
        for index in 1...200 { text += "  <contact><name>Contact \(index)</name></contact>\n" }
        text += "  <contact><name>Broken</nme></contact>\n  <contact><name>After</name></contact>\n</contacts>\n"
        // Multi-line records: every record that ends before the broken one is read.
        var multiLine = "<?xml version=\"1.0\"?>\n<x:contacts xmlns:x=\"urn:x\">\n"
        for index in 1...100 { multiLine += "  <x:contact>\n    <x:name>Contact \(index)</x:name>\n  </x:contact>\n" }
        multiLine += "  <x:contact>\n    <x:name>Broken</x:nme>\n  </x:contact>\n</x:contacts>\n"
        let multiPath = try FixtureFiles.temporary(Array(multiLine.utf8), suffix: ".xml")
        defer { try? FileManager.default.removeItem(atPath: multiPath) }
        var multi = try XMLReader(path: multiPath)
        var multiItems: [ReadItem] = []
        #expect(throws: ReaderError.self) { while let item = try multi.next() { multiItems.append(item) } }
        #expect(multiItems.compactMap(\.record).count == 100)
        #expect(multiItems.last?.ordinal == 100)
        let path = try FixtureFiles.temporary(Array(text.utf8), suffix: ".xml")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var xml = try XMLReader(path: path)
        var items: [ReadItem] = []
        let error = #expect(throws: ReaderError.self) {
            while let item = try xml.next() { items.append(item) }
        }
        #expect(items.compactMap(\.record).map { $0.first("name") } == (1...200).map { "Contact \($0)" })
        #expect(items.count == 200, "every record before the broken line, including those libxml2 had read ahead")
        guard let (line, column, message) = Self.malformedXML(error) else { return }
        #expect(line == 203)
        #expect(column > 0)
        #expect(message.contains("mismatch") || message.contains("nme"))
    }

    @Test("a small file broken after good records keeps them: detecting the record element counts every element before the error")
    func brokenWithinTheFirstChunk() throws {
        let text = """
            <?xml version="1.0"?>
            <contacts>
            <contact><email>a@b.co</email><firstName>A</firstName></contact>
            <contact><email>c@d.co</email><firstName>B</firstName></contact>
            <contact><email>x@y.co</firstName></contact>
            </contacts>

            """
        let path = try FixtureFiles.temporary(Array(text.utf8), suffix: ".xml")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var xml = try XMLReader(path: path)
        #expect(xml.recordPath == ["contacts", "contact"])
        var items: [ReadItem] = []
        let error = #expect(throws: ReaderError.self) {
            while let item = try xml.next() { items.append(item) }
        }
        #expect(items.compactMap(\.record).map { $0.first("firstName") } == ["A", "B"])
        guard let (line, _, _) = Self.malformedXML(error) else { return }
        #expect(line == 5)
    }

    @Test("the reject that stands for a file's unread rest says why without repeating the file it is in")
    func restRejectReason() throws {
        let error = ReaderError.malformedXML(path: "in.xml", line: 5, column: 35, message: "Opening and ending tag mismatch")
        guard case .reject(let reject) = RecordCursor.rest(lostTo: error, after: nil, path: "in.xml") else {
            Issue.record("expected a reject")
            return
        }
        #expect(reject.location.file == "in.xml" && reject.location.line == 5)
        #expect(reject.reason == "malformed XML at line 5, column 35: Opening and ending tag mismatch. Nothing after this point of the file was read.")
        let inEntry = ReaderError.badArchive(path: "book.zip", reason: "it is encrypted")
        guard case .reject(let other) = RecordCursor.rest(lostTo: inEntry, after: nil, path: "book.zip/people.csv") else {
            Issue.record("expected a reject")
            return
        }
        #expect(other.reason == "book.zip: it is encrypted. Nothing after this point of the file was read.")
    }

    @Test("a file cut short says so, not libxml2's \"Extra content at the end\", and keeps the records before the cut")
    func cutShort() throws {
        var whole = "<?xml version=\"1.0\"?>\n<x:contacts xmlns:x=\"urn:x\">\n"
        for index in 1...300 { whole += "  <x:contact><x:name>Contact \(index)</x:name></x:contact>\n" }
        // Cut inside the 301st record's name, and cut after the last record with the root still open.
        for (text, records, message) in [
            (whole + "  <x:contact><x:name>Cut", 300, "the file ends inside <name>, with 3 elements still open: it looks cut short"),
            (whole, 300, "the file ends before <contacts> is closed: it looks cut short"),
        ] {
            let path = try FixtureFiles.temporary(Array(text.utf8), suffix: ".xml")
            defer { try? FileManager.default.removeItem(atPath: path) }
            var xml = try XMLReader(path: path)
            var items: [ReadItem] = []
            let error = #expect(throws: ReaderError.self) { while let item = try xml.next() { items.append(item) } }
            #expect(items.compactMap(\.record).count == records)
            guard let (line, _, said) = Self.malformedXML(error) else { continue }
            #expect(said == message)
            #expect(line == 302 || line == 303)
        }
        // A document whose root closes, followed by more, keeps libxml2's words.
        let extra = try FixtureFiles.temporary(Array("<c><r><n>a</n></r></c>\n<c><r><n>b</n></r></c>\n".utf8), suffix: ".xml")
        defer { try? FileManager.default.removeItem(atPath: extra) }
        let error = #expect(throws: ReaderError.self) {
            var xml = try XMLReader(path: extra)
            while try xml.next() != nil {}
        }
        guard let (_, _, said) = Self.malformedXML(error) else { return }
        #expect(said.contains("Extra content"))
    }

    /// The line, column and message of a malformed-XML error; nil, with an issue recorded, for anything else.
    private static func malformedXML(
        _ error: ReaderError?, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> (line: Int, column: Int, message: String)? {
        guard case .malformedXML(_, let line, let column, let message)? = error else {
            Issue.record("expected malformedXML, got \(String(describing: error))", sourceLocation: sourceLocation)
            return nil
        }
        return (line, column, message)
    }

    @Test("external entities are never loaded: no file content, no network")
    func externalEntities() throws {
        var xml = try reader("xxe.xml")
        let items = try xml.readAll()
        let text = items.compactMap(\.record).flatMap(\.fields).map(\.value).joined()
        #expect(!text.contains("root:"))
        #expect(items.compactMap(\.record).map { $0.first("name") } == ["Safe", "After"])
    }

    @Test("the encoding declared in the prolog is honoured")
    func declaredEncoding() throws {
        var xml = try reader("latin1.xml")
        #expect(try xml.readAll().first?.record?.first("name") == "Jürgen Müller")
    }

    @Test("resuming at an ordinal reads the same records as reading through")
    func resume() throws {
        var full = try reader("crm-export.xml")
        let all = try full.readAll()
        for item in all {
            let position = ReadPosition(byteOffset: item.location.byteOffset, line: item.location.line, ordinal: item.ordinal)
            var resumed = try XMLReader(path: FixtureFiles.path("xml/crm-export.xml"), startAt: position)
            #expect(try resumed.readAll() == Array(all[(item.ordinal - 1)...]))
        }
    }

    @Test("10,000-deep nesting stops with a clear error instead of exhausting memory")
    func deepNesting() throws {
        let text = "<a><b>" + String(repeating: "<x>", count: 10_000) + String(repeating: "</x>", count: 10_000) + "</b></a>"
        let path = try FixtureFiles.temporary(Array(text.utf8), suffix: ".xml")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var xml = try XMLReader(path: path, options: XMLOptions(recordPath: "a/b"))
        #expect(throws: ReaderError.self) { _ = try xml.readAll() }
    }
}

extension XMLReaderTests {
    @Test("a document malformed before any record is an error, not an empty file")
    func malformedFromTheStart() throws {
        #expect(throws: ReaderError.self) {
            var xml = try reader("malformed.xml")
            _ = try xml.readAll()
        }
    }

    private func readText(_ text: String, _ options: XMLOptions = XMLOptions()) throws -> [ReadItem] {
        try FixtureFiles.readAll(text, suffix: ".xml") { try XMLReader(path: $0, options: options) }
    }

    @Test("internal entities are expanded, and a record that referred to an external one says it was not loaded")
    func entities() throws {
        let items = try readText(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE c [<!ENTITY co \"Acme &amp; Co\">]>\n<c><r n=\"&co;\"><name>&co; &#233;</name></r><r><name>x</name></r></c>\n",
            XMLOptions(recordPath: "c/r"))
        #expect(items.first?.record?.first("name") == "Acme & Co é")
        #expect(items.first?.record?.first("@n") == "Acme & Co")
        var xxe = try reader("xxe.xml")
        let records = try xxe.readAll().compactMap(\.record)
        #expect(records.first?.notes.contains("external entity &secret; was not loaded") == true)
        #expect(records.last?.notes.isEmpty == true)
    }

    @Test("a value over the cap rejects its record only; the records after it read")
    func valueCap() throws {
        let long = String(repeating: "y", count: 5000)
        let items = try readText(
            "<c><r><name>a</name></r><r><name>\(long)</name></r><r><name>b</name></r></c>", XMLOptions(recordPath: "c/r", maxValueBytes: 1000))
        #expect(items.count == 3)
        #expect(items[1].reject?.reason == "the value of name is longer than 1000 bytes")
        #expect(items.compactMap(\.record).map { $0.first("name") } == ["a", "b"])
    }

    @Test("text that arrives in pieces (entities, children, CDATA between white space) keeps its inner spaces and loses only the outer ones")
    func textInPieces() throws {
        let text = "<c>\n  <r>\n    <name>\n       &amp; Co  </name>\n    <title>  A &amp;  B <!-- note --> C\t</title>\n    <inner>x &amp; &amp; y<!-- a -->   <!-- b -->z</inner>\n"
            + "    <mixed>\n      <part>x</part>\n      tail &lt;1&gt;\n    </mixed>\n    <blank>   \n\t  </blank>\n"
            + "    <cdata><![CDATA[   ]]>  <![CDATA[ kept  inside ]]>  </cdata>\n    \n  own text  \n\n  </r>\n</c>\n"
        let record = try #require(try readText(text, XMLOptions(recordPath: "c/r")).first?.record)
        #expect(record.first("name") == "& Co")
        #expect(record.first("title") == "A &  B  C")
        #expect(record.first("inner") == "x & & y   z")
        #expect(record.first("mixed") == "tail <1>")
        #expect(record.first("mixed/part") == "x")
        #expect(record.first("blank") == "")
        #expect(record.first("cdata") == "kept  inside")
        #expect(record.first("#text") == "own text")
    }

    @Test("thousands of records across the parser's chunks read whole, in order, attributes apart from same-named children")
    func manyRecords() throws {
        var text = "<?xml version=\"1.0\"?>\n<export><people>\n"
        for index in 1...3000 {
            text += "<person id=\"\(index)\" name=\"attr\(index)\"><name>Person \(index)</name><tags><tag>t\(index % 7)</tag><tag/></tags></person>\n"
        }
        text += "</people></export>\n"
        #expect(text.utf8.count > 3 * LibXMLPushParser.chunkSize)
        let items = try readText(text)
        #expect(items.count == 3000)
        for (index, item) in items.enumerated() {
            let record = try #require(item.record)
            #expect(record.ordinal == index + 1)
            #expect(record.first("@id") == "\(index + 1)")
            #expect(record.first("@name") == "attr\(index + 1)")
            #expect(record.first("name") == "Person \(index + 1)")
            #expect(record.values("tags/tag") == ["t\((index + 1) % 7)", ""])
            #expect(record.location.line == index + 3)
        }
    }

    @Test("a file with more distinct field paths than are kept at once still names every field")
    func manyDistinctPaths() throws {
        var text = "<rows>"
        for row in 0..<30 {
            text += "<row>" + (0..<1000).map { "<f\(row)_\($0) a=\"\($0)\">v\($0)</f\(row)_\($0)>" }.joined() + "</row>"
        }
        text += "</rows>"
        let records = try readText(text, XMLOptions(recordPath: "rows/row")).compactMap(\.record)
        #expect(records.count == 30)
        for (row, record) in records.enumerated() {
            #expect(record.first("f\(row)_999") == "v999")
            #expect(record.first("f\(row)_0/@a") == "0")
            #expect(record.fieldCount == 2000)
        }
        // Once the table starts over, numbers come back: a record whose fields get the numbers of a kept
        // layout (here `phone` and `name` swapped) must not take that layout's names.
        var common = "<rows>"
        for index in 0...19_997 { common += "<row><name>n</name><phone>p</phone></row><row><u\(index)>x</u\(index)></row>" }
        common += "<row><phone>p2</phone><name>n2</name></row></rows>"
        let last = try #require(try readText(common, XMLOptions(recordPath: "rows/row")).last?.record)
        #expect(last.fieldNames == ["phone", "name"])
        #expect(last.first("phone") == "p2")
    }
}
