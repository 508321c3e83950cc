import HatifAPI
import Testing

@testable import HatifImport

@Suite("Bulk vCards written as bytes")
struct VCardEncoderTests {
    /// The card as the string-built encoder wrote it, kept as the reference.
    static func referenceCard(_ draft: ContactDraft) -> String {
        var lines = ["BEGIN:VCARD", "VERSION:4.0"]
        let first = draft.firstName ?? ""
        let last = draft.lastName ?? ""
        lines.append("N:\(VCardText.escape(last));\(VCardText.escape(first));;;")
        let formatted = [first, last].filter { !$0.isEmpty }.joined(separator: " ")
        lines.append("FN:\(VCardText.escape(formatted.isEmpty ? draft.phone?.e164 ?? draft.email ?? "" : formatted))")
        if let phone = draft.phone { lines.append("TEL;TYPE=\(phone.type.mayBeMobile ? "cell" : "voice"):\(phone.e164)") }
        if let email = draft.email { lines.append("EMAIL:\(VCardText.escape(email))") }
        lines.append("END:VCARD")
        return lines.map(VCardText.fold).joined(separator: "\r\n") + "\r\n"
    }

    static let pieces = ["", "Ann", "Zoë", "ب", "李", "👩‍👩‍👧", "a,b", "x;y", "back\\slash", "line\nbreak", "cr\r\nlf", " ", "O'Neil", "-", "Ω"]

    @Test("20,000 random drafts, long lines folded across multi-byte characters among them: the same bytes as the string-built cards")
    func sameBytes() async {
        var random = SeededGenerator(seed: 42)
        func next(_ bound: Int) -> Int { Int.random(in: 0..<bound, using: &random) }
        func text() -> String? {
            if next(6) == 0 { return nil }
            return (0..<next(40)).map { _ in Self.pieces[next(Self.pieces.count)] }.joined()
        }
        let types = PhoneNumber.LineType.allCases
        var differences = 0
        for ordinal in 1...20_000 {
            if ordinal % 512 == 0 { await Task.yield() }  // CPU-bound for seconds: see PlanEntryTextTests.sameBytes
            let phone = next(3) == 0 ? nil : PhoneNumber(e164: "+9665\(100_000_00 + next(89_999_999))", region: "SA", type: types[next(types.count)])
            let draft = ContactDraft(
                ordinal: ordinal, location: SourceLocation(file: "in.csv", line: ordinal, byteOffset: 0), firstName: text(), lastName: text(),
                phone: phone, email: next(2) == 0 ? nil : (text() ?? "") + "@example.com")
            let card = VCardEncoder.cardBytes(draft)
            if card != Array(Self.referenceCard(draft).utf8) {
                differences += 1
                if differences <= 3 { Issue.record("\(draft)") }
            }
        }
        #expect(differences == 0)
    }
}

@Suite("Bulk files cut from drafts")
struct VCardBatcherTests {
    /// Random drafts: short and long names (up to 2,000 bytes, escapes, multi-byte text), some with a property.
    static func drafts(_ count: Int, long: Bool, random: inout SeededGenerator) -> [ContactDraft] {
        func next(_ bound: Int) -> Int { Int.random(in: 0..<bound, using: &random) }
        func text() -> String? {
            if next(5) == 0 { return nil }
            let length = long && next(4) == 0 ? next(300) : next(12)
            return (0..<length).map { _ in VCardEncoderTests.pieces[next(VCardEncoderTests.pieces.count)] }.joined()
        }
        let types = PhoneNumber.LineType.allCases
        return (1...count).map { ordinal in
            let phone = next(3) == 0 ? nil : PhoneNumber(e164: "+9665\(100_000_00 + next(89_999_999))", region: "SA", type: types[next(types.count)])
            return ContactDraft(
                ordinal: ordinal, location: SourceLocation(file: "in.csv", line: ordinal, byteOffset: 0), firstName: text(), lastName: text(),
                phone: phone, email: next(2) == 0 ? nil : (text() ?? "") + "@example.com", properties: next(2) == 0 ? [:] : ["tier": "gold"])
        }
    }

    @Test("no card is longer than its bound, on 5,000 random drafts with long, escaped and multi-byte values")
    func boundHolds() {
        var random = SeededGenerator(seed: 7)
        for draft in Self.drafts(5_000, long: true, random: &random) {
            let length = VCardEncoder.cardBytes(draft).count
            #expect(length <= VCardEncoder.maxCardLength(draft), "\(length) bytes: \(draft)")
        }
    }

    @Test("the sizing cuts the files the push cuts, by count alone or by bytes, for limits from 1 card and 1 KiB up")
    func sizingMatchesFiles() async {
        var random = SeededGenerator(seed: 11)
        var byCount = 0
        for round in 0..<160 {
            await Task.yield()  // CPU-bound for seconds: see PlanEntryTextTests.sameBytes
            let drafts = Self.drafts(1 + round % 40 * 13, long: round % 3 == 0, random: &random)
            let maxCards = [1, 2, 7, 50, 500][round % 5]
            let maxBytes = [1024, 4096, 65_536, 5 << 20][round / 5 % 4]
            let batcher = VCardBatcher(maxCards: maxCards, maxBytes: maxBytes)
            if drafts.allSatisfy({ VCardEncoder.maxCardLength($0) * batcher.maxCards <= batcher.maxBytes }) { byCount += 1 }
            let files = batcher.files(for: drafts)
            let sizes = batcher.fileSizes(for: drafts)
            #expect(sizes.map(\.cards) == files.map(\.drafts.count), "round \(round): \(maxCards) cards, \(maxBytes) bytes")
            #expect(sizes.map(\.withoutProperties) == files.map { $0.drafts.filter(\.properties.isEmpty).count })
            #expect(files.allSatisfy { $0.drafts.count <= batcher.maxCards && ($0.byteCount <= batcher.maxBytes || $0.drafts.count == 1) })
        }
        // Both ways of cutting were taken.
        #expect(byCount > 16 && byCount < 144, "\(byCount) rounds cut by count alone")
    }
}
