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
    func sameBytes() {
        var random = SeededGenerator(seed: 42)
        func next(_ bound: Int) -> Int { Int.random(in: 0..<bound, using: &random) }
        func text() -> String? {
            if next(6) == 0 { return nil }
            return (0..<next(40)).map { _ in Self.pieces[next(Self.pieces.count)] }.joined()
        }
        let types = PhoneNumber.LineType.allCases
        var differences = 0
        for ordinal in 1...20_000 {
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
