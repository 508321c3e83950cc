import Foundation
@testable import HatifAPI
import Testing

@Suite("Create Bulk answers read from the bytes")
struct BulkVCardsResultJSONTests {
    typealias Generator = SeededGenerator

    static func randomError(_ generator: inout Generator) -> Components.Schemas.ErrorInfo {
        func text() -> String { HandBuiltCallTests.awkwardText(&generator) }
        let validation: [Components.Schemas.ValidationErrorInfo]? =
            Bool.random(using: &generator)
            ? (0..<Int.random(in: 0...2, using: &generator)).map { _ in
                .init(message: text(), members: Bool.random(using: &generator) ? (0..<Int.random(in: 0...2, using: &generator)).map { _ in text() } : nil)
            } : nil
        return .init(code: text(), message: text(), details: Bool.random(using: &generator) ? text() : nil, validationErrors: validation)
    }

    static func randomResult(_ generator: inout Generator, cards: Int) -> BulkVCardsResult {
        let items = (0..<cards).map { index in
            Int.random(in: 0..<4, using: &generator) == 0
                ? Components.Schemas.BulkVCardItem(index: Int32(index), status: .failed, error: randomError(&generator))
                : Components.Schemas.BulkVCardItem(index: Int32(index), status: .created, contactId: UUID().uuidString.lowercased())
        }
        let created = Int32(items.count { $0.status == .created })
        return BulkVCardsResult(totalCount: Int32(cards), createdCount: created, failedCount: Int32(cards) - created, items: items)
    }

    @Test("every answer as the API writes it is read from the bytes, as JSONDecoder reads it")
    func canonicalAnswers() throws {
        var generator = Generator(seed: 30)
        for round in 0..<1_000 {
            try ContactDtoJSONTests.expectReadAsWritten(Self.randomResult(&generator, cards: round % 9), BulkVCardsResultJSON.decode)
        }
        try ContactDtoJSONTests.expectReadAsWritten(Self.randomResult(&generator, cards: 500), BulkVCardsResultJSON.decode)
    }

    static func json(_ fields: [(String, String?)], _ generator: inout Generator) -> String {
        func space() -> String { ["", "", " ", "\n", "\t"].randomElement(using: &generator)! }
        var fields = fields
        fields.shuffle(using: &generator)
        return "{" + fields.compactMap { key, value in value.map { space() + "\"\(key)\"" + space() + ":" + space() + $0 } }.joined(separator: ",") + "}"
    }

    static func strayItem(_ item: Components.Schemas.BulkVCardItem, _ generator: inout Generator) -> String {
        func string(_ text: String) -> String { ContactDtoJSONTests.escaped(text, &generator) }
        func optional(_ text: String?) -> String? { text.map(string) ?? (Bool.random(using: &generator) ? "null" : nil) }
        let error: String? = item.error.map { error in
            let validation = error.validationErrors.map { list in
                "[" + list.map { entry in
                    json([("message", string(entry.message)), ("members", entry.members.map { "[" + $0.map(string).joined(separator: ",") + "]" } ?? "null")], &generator)
                }.joined(separator: ",") + "]"
            }
            return json([("code", string(error.code)), ("message", string(error.message)), ("details", optional(error.details)),
                ("validationErrors", validation ?? (Bool.random(using: &generator) ? "null" : nil))], &generator)
        } ?? (Bool.random(using: &generator) ? "null" : nil)
        var fields: [(String, String?)] = [
            ("Index", "\(item.index)"), ("Status", string(item.status.rawValue)), ("ContactId", optional(item.contactId)), ("Error", error),
        ]
        let numbers = ["-1", "0", "07", "1.0", "1e1", "2147483647", "2147483648", "-2147483649", "\"3\"", "null"]
        switch Int.random(in: 0..<14, using: &generator) {
        case 0: fields.append(("Card", ["\"x\"", "null", "true", "3", "{}", "[]"].randomElement(using: &generator)!))
        case 1: fields.append((["Index", "Status", "ContactId"].randomElement(using: &generator)!, string("again")))
        case 2: fields.remove(at: Int.random(in: 0..<fields.count, using: &generator))
        case 3: fields[0].1 = numbers.randomElement(using: &generator)!
        case 4: fields[1].1 = ["\"created\"", "\"Pending\"", "null", "1"].randomElement(using: &generator)!
        case 5: fields[3].1 = ["{}", "{\"code\":\"c\"}", "\"e\"", "[]", "{\"code\":\"c\",\"message\":\"m\",\"validationErrors\":[{}]}"]
            .randomElement(using: &generator)!
        default: break
        }
        return json(fields, &generator)
    }

    @Test("an answer in any other form is read as JSONDecoder reads it, or left to JSONDecoder")
    func strayAnswers() {
        var generator = Generator(seed: 31)
        let counts = ["0", "3", "-1", "01", "1.5", "2147483648", "\"2\"", "null"]
        var readFast = 0, readable = 0
        let rounds = 5_000
        for _ in 0..<rounds {
            let result = Self.randomResult(&generator, cards: Int.random(in: 0...4, using: &generator))
            var fields: [(String, String?)] = [
                ("TotalCount", "\(result.totalCount)"), ("CreatedCount", "\(result.createdCount)"), ("FailedCount", "\(result.failedCount)"),
                ("Items", "[" + result.items.map { Self.strayItem($0, &generator) }.joined(separator: ",") + "]"),
            ]
            switch Int.random(in: 0..<10, using: &generator) {
            case 0: fields[Int.random(in: 0..<3, using: &generator)].1 = counts.randomElement(using: &generator)!
            case 1: fields.remove(at: Int.random(in: 0..<fields.count, using: &generator))
            case 2: fields.append(("Items", "[]"))
            case 3: fields.append(("RequestId", ["\"r\"", "null", "7", "{}"].randomElement(using: &generator)!))
            default: break
            }
            var json = Array(Self.json(fields, &generator).utf8)
            switch Int.random(in: 0..<12, using: &generator) {
            case 0 where !json.isEmpty: json.removeLast(Int.random(in: 1...min(json.count, 8), using: &generator))
            case 1 where !json.isEmpty: json[Int.random(in: 0..<json.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            case 2: json += Array([",", "}", "x", " "].randomElement(using: &generator)!.utf8)
            default: break
            }
            let read = ContactDtoJSONTests.compareWithJSONDecoder(json, BulkVCardsResultJSON.decode)
            if read.readable { readable += 1 }
            if read.readFast { readFast += 1 }
        }
        #expect(readFast > readable / 2, "most answers JSONDecoder reads are read from the bytes: \(readFast) of \(readable)")
        #expect(readable < rounds * 9 / 10, "the answers include ones JSONDecoder refuses: \(rounds - readable)")
    }
}
