import Foundation
@testable import HatifAPI
import Testing

@Suite("Contact answers read from the bytes")
struct ContactDtoJSONTests {
    typealias Generator = SeededGenerator

    static func randomContact(_ generator: inout Generator) -> ContactDto {
        func maybe() -> String? { Bool.random(using: &generator) ? HandBuiltCallTests.awkwardText(&generator) : nil }
        let properties = (0..<Int.random(in: 0...3, using: &generator)).map { _ in
            Components.Schemas.ContactPropertyValueDto(
                propertyId: UUID().uuidString.lowercased(), name: HandBuiltCallTests.awkwardText(&generator),
                value: HandBuiltCallTests.awkwardText(&generator))
        }
        func time() -> Date { Date(timeIntervalSince1970: Double(Int.random(in: 0...4_000_000_000_000, using: &generator)) / 1000) }
        return ContactDto(
            id: UUID().uuidString.lowercased(), firstName: maybe(), lastName: maybe(), phoneNumber: maybe(), email: maybe(),
            properties: properties, creationTime: time(), lastModificationTime: Bool.random(using: &generator) ? time() : nil)
    }

    /// `value` as the API writes it (the client's encoder) is read by `fast` as `JSONDecoder` reads it.
    static func expectReadAsWritten<Value: Codable & Equatable>(_ value: Value, _ fast: (UnsafeRawBufferPointer) -> Value?) throws {
        let json = [UInt8](try JSONEncoder.hatif().encode(value))
        let expected = try JSONDecoder.hatif().decode(Value.self, from: Data(json))
        let decoded = json.withUnsafeBytes { fast($0) }
        let read = try #require(decoded, "\(String(decoding: json, as: UTF8.self))")
        #expect(read == expected)
    }

    /// Reads `json` both by `fast` and by `JSONDecoder`, expecting the same wherever `fast` reads it; says
    /// which of the two read it.
    static func compareWithJSONDecoder<Value: Decodable & Equatable>(
        _ json: [UInt8], _ fast: (UnsafeRawBufferPointer) -> Value?
    ) -> (readable: Bool, readFast: Bool) {
        let expected = try? JSONDecoder.hatif().decode(Value.self, from: Data(json))
        guard let read = json.withUnsafeBytes(fast) else { return (expected != nil, false) }
        #expect(read == expected, "\(String(decoding: json, as: UTF8.self).debugDescription)")
        return (expected != nil, true)
    }

    @Test("every answer as the API writes it is read from the bytes, as JSONDecoder reads it")
    func canonicalAnswers() throws {
        var generator = Generator(seed: 20)
        for _ in 0..<3_000 { try Self.expectReadAsWritten(Self.randomContact(&generator), ContactDtoJSON.decode) }
    }

    /// A JSON string of `text` with some characters written as escapes of every kind (`\/`, `\uXXXX` in
    /// either case, surrogate pairs), as other servers write them.
    static func escaped(_ text: String, _ generator: inout Generator) -> String {
        var out = "\""
        func hex(_ value: UInt32) -> String {
            let digits = String(value, radix: 16)
            let padded = String(repeating: "0", count: 4 - digits.count) + digits
            return "\\u" + (Bool.random(using: &generator) ? padded.uppercased() : padded)
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "/" where Bool.random(using: &generator): out += "\\/"
            case "\n" where Bool.random(using: &generator): out += "\\n"
            case _ where scalar.value < 0x20: out += hex(scalar.value)
            case _ where scalar.value > 0xFFFF && Bool.random(using: &generator):
                let value = scalar.value - 0x10000
                out += hex(0xD800 + (value >> 10)) + hex(0xDC00 + (value & 0x3FF))
            case _ where Int.random(in: 0..<5, using: &generator) == 0 && scalar.value <= 0xFFFF: out += hex(scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// An answer that strays from the API's form: other spacing, escapes, fields the client does not know,
    /// nulls, repeated or missing keys, wrong types, bytes cut or changed.
    static func strayAnswer(_ contact: ContactDto, _ generator: inout Generator) -> [UInt8] {
        let transcoder = FlexibleISO8601Transcoder()
        func space() -> String { ["", "", "", " ", "\n", "\t", "\r\n  "].randomElement(using: &generator)! }
        func string(_ text: String) -> String { escaped(text, &generator) }
        func optional(_ text: String?) -> String? {
            text.map(string) ?? (Bool.random(using: &generator) ? "null" : nil)
        }
        let properties = "[" + space() + contact.properties.map { property in
            var fields = [("PropertyId", string(property.propertyId)), ("Name", string(property.name)), ("Value", string(property.value))]
            if Int.random(in: 0..<8, using: &generator) == 0 { fields.append(("Kind", string("Text"))) }
            if Int.random(in: 0..<20, using: &generator) == 0 { fields.remove(at: Int.random(in: 0..<3, using: &generator)) }
            fields.shuffle(using: &generator)
            return "{" + fields.map { space() + "\"\($0.0)\"" + space() + ":" + space() + $0.1 }.joined(separator: ",") + "}"
        }.joined(separator: space() + "," + space()) + space() + "]"
        var fields: [(String, String?)] = [
            ("Id", string(contact.id)), ("FirstName", optional(contact.firstName)), ("LastName", optional(contact.lastName)),
            ("PhoneNumber", optional(contact.phoneNumber)), ("Email", optional(contact.email)), ("Properties", properties),
            ("CreationTime", string(try! transcoder.encode(contact.creationTime))),
            ("LastModificationTime", optional(contact.lastModificationTime.map { try! transcoder.encode($0) })),
        ]
        let unknown = ["\"x\"", "null", "true", "false", "12", "-0.5e3", "[1,2]", "{\"a\":\"b\"}", "[]", "{}", "\"2026\""]
        switch Int.random(in: 0..<12, using: &generator) {
        case 0: fields.append(("Tags", unknown.randomElement(using: &generator)!))
        case 1: fields.append((["FirstName", "Id", "Email", "Properties"].randomElement(using: &generator)!, string("again")))
        case 2: fields.remove(at: Int.random(in: 0..<fields.count, using: &generator))
        case 3: fields[Int.random(in: 0..<fields.count, using: &generator)].1 = ["null", "7", "true", "[]", "{}", "\"\""].randomElement(using: &generator)!
        case 4: fields.append(("Nested", "{\"Id\":\"other\",\"Properties\":[" + unknown.randomElement(using: &generator)! + "]}"))
        default: break
        }
        fields.shuffle(using: &generator)
        var json = Array(
            (space() + "{" + fields.compactMap { key, value in value.map { space() + "\"\(key)\"" + space() + ":" + space() + $0 } }
                .joined(separator: ",") + "}" + space()).utf8)
        switch Int.random(in: 0..<10, using: &generator) {
        case 0 where !json.isEmpty: json.removeLast(Int.random(in: 1...min(json.count, 12), using: &generator))
        case 1 where !json.isEmpty: json[Int.random(in: 0..<json.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
        case 2: json += Array([",", "}", "x", "{}", "\u{FEFF}", "\u{0B}"].randomElement(using: &generator)!.utf8)
        case 3: json = [0xEF, 0xBB, 0xBF] + json
        default: break
        }
        return json
    }

    @Test("an answer in any other form is read as JSONDecoder reads it, or left to JSONDecoder")
    func strayAnswers() {
        var generator = Generator(seed: 21)
        var readFast = 0, refusedByJSONDecoder = 0
        let rounds = 20_000
        for _ in 0..<rounds {
            let contact = Self.randomContact(&generator)
            let read = Self.compareWithJSONDecoder(Self.strayAnswer(contact, &generator), ContactDtoJSON.decode)
            if !read.readable { refusedByJSONDecoder += 1 }
            if read.readFast { readFast += 1 }
        }
        let readable = rounds - refusedByJSONDecoder
        #expect(readFast > readable / 2, "most answers JSONDecoder reads are read from the bytes: \(readFast) of \(readable)")
        #expect(refusedByJSONDecoder > rounds / 10, "the answers include broken ones: \(refusedByJSONDecoder)")
    }

    @Test("a page of contacts as the API writes it is read from the bytes, as JSONDecoder reads it")
    func canonicalPages() throws {
        var generator = Generator(seed: 22)
        for round in 0..<1_000 {
            let items = (0..<(round % 7)).map { _ in Self.randomContact(&generator) }
            let page = ContactListResult(totalCount: Int64.random(in: 0...Int64(1) << 40, using: &generator), items: items)
            try Self.expectReadAsWritten(page, ContactDtoJSON.decodeList)
        }
    }

    @Test("a page in any other form (numbers of every syntax, keys missing, repeated or unknown, contacts astray) is read as JSONDecoder reads it, or left to it")
    func strayPages() {
        var generator = Generator(seed: 23)
        let totals = ["0", "7", "-3", "012", "-0", "1.0", "1e2", "2E0", "9223372036854775807", "123456789012345678", "1234567890123456789",
            "99999999999999999999", "\"4\"", "null", "true", "[]", " 5 ", "-", "+1", "0x1"]
        var readFast = 0, readable = 0
        for _ in 0..<5_000 {
            let items = (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                let contact = Self.randomContact(&generator)
                return Bool.random(using: &generator)
                    ? String(decoding: Self.strayAnswer(contact, &generator), as: UTF8.self)
                    : String(decoding: (try? JSONEncoder.hatif().encode(contact)) ?? Data(), as: UTF8.self)
            }
            var fields: [(String, String)] = [("TotalCount", totals.randomElement(using: &generator)!), ("Items", "[" + items.joined(separator: ",") + "]")]
            switch Int.random(in: 0..<8, using: &generator) {
            case 0: fields.remove(at: Int.random(in: 0..<2, using: &generator))
            case 1: fields.append(([("TotalCount"), ("Items")].randomElement(using: &generator)!, "[]"))
            case 2: fields.append(("Next", ["\"x\"", "null", "1", "{}"].randomElement(using: &generator)!))
            default: break
            }
            fields.shuffle(using: &generator)
            let json = Array(("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}").utf8)
            let read = Self.compareWithJSONDecoder(json, ContactDtoJSON.decodeList)
            if read.readable { readable += 1 }
            if read.readFast { readFast += 1 }
        }
        #expect(readFast > readable / 4, "many pages JSONDecoder reads are read from the bytes: \(readFast) of \(readable)")
    }
}
