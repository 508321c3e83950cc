import HatifAPI
import Testing

@testable import HatifSandbox

@Suite("Sandbox vCard parsing")
struct SandboxVCardParserTests {
    private func parse(_ text: String) throws -> [Result<ContactInput, SandboxError>] {
        try SandboxVCardParser.parse(Array(text.utf8))
    }

    @Test("folded lines, escapes, groups and the first TEL and EMAIL are read as the contract says")
    func readsCards() throws {
        let cards = try parse(
            "BEGIN:VCARD\nVERSION:3.0\nN:Al-Harbi;Sara\\, Jr;;;\nFN:ignored\nitem1.TEL;TYPE=CELL:+96650\n 0111222\nTEL:+15550000000\nEMAIL;TYPE=INTERNET:sara@example.com\nEMAIL:second@example.com\nPHOTO;ENCODING=b:AAAA\nEND:VCARD\n"
        )
        let contact = try #require(try cards.first?.get())
        #expect(contact.lastName == "Al-Harbi")
        #expect(contact.firstName == "Sara, Jr")
        #expect(contact.phoneNumber == "+966500111222")
        #expect(contact.email == "sara@example.com")
    }

    @Test("FN gives the names when N is missing or empty; the last word is the last name")
    func formattedName() throws {
        let cards = try parse("BEGIN:VCARD\r\nVERSION:4.0\r\nN:;;;;\r\nFN:Mary Ann Smith\r\nEMAIL:m@example.com\r\nEND:VCARD\r\n")
        let contact = try #require(try cards.first?.get())
        #expect(contact.firstName == "Mary Ann")
        #expect(contact.lastName == "Smith")
    }

    @Test("a card of vCard 2.1 or without END fails on its own; the others still read")
    func brokenCardsFailAlone() throws {
        let cards = try parse(
            "BEGIN:VCARD\nVERSION:2.1\nTEL:+966500111222\nEND:VCARD\nBEGIN:VCARD\nVERSION:4.0\nTEL:+966500111223\nBEGIN:VCARD\nVERSION:4.0\nTEL:+966500111224\nEND:VCARD\n"
        )
        #expect(cards.count == 3)
        #expect((try? cards[0].get()) == nil)
        #expect((try? cards[1].get()) == nil)
        #expect((try? cards[2].get())?.phoneNumber == "+966500111224")
    }

    @Test("an empty file, a file over 500 cards and invalid UTF-8 are refused whole")
    func refusedFiles() {
        #expect(throws: SandboxError.self) { try parse("hello\n") }
        let many = String(repeating: "BEGIN:VCARD\nVERSION:4.0\nTEL:+966500111222\nEND:VCARD\n", count: 501)
        let tooMany = #expect(throws: SandboxError.self) { try parse(many) }
        #expect(tooMany?.status == .contentTooLarge)
        #expect(throws: SandboxError.self) { try SandboxVCardParser.parse([0x42, 0xFF, 0xFE]) }
        let big = [UInt8](repeating: 0x41, count: (5 << 20) + 1)
        #expect((#expect(throws: SandboxError.self) { try SandboxVCardParser.parse(big) })?.status == .contentTooLarge)
    }
}
