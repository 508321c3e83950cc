import Testing

@testable import HatifImport

@Suite("Stable hashes and key values")
struct StableHashTests {
    @Test("the one- and two-part hashes are those of the parts as an array", arguments: ["", "phone", "سارة", "a\u{0}b", "+966500111222"])
    func overloadsMatchTheArrayForm(part: String) {
        #expect(StableHash.of(part) == StableHash.of(parts: [part]))
        #expect(StableHash.of("email", part) == StableHash.of(parts: ["email", part]))
        #expect(StableHash.of(part, "x") == StableHash.of(parts: [part, "x"]))
    }

    @Test("lowercasedIfNeeded is lowercased(), with nothing made for ASCII without a capital",
        arguments: ["sara@example.com", "Sara@Example.COM", "", "ÉMILE@exemple.fr", "straße@x.de", "İstanbul@x.tr", "سارة@x.sa", "a_b-c.9@x"])
    func lowercasedIfNeeded(text: String) {
        #expect(text.lowercasedIfNeeded == text.lowercased())
    }

    @Test("a later record that shares a phone or an e-mail in any case is told from a new one")
    func inFileDuplicates() {
        var seen = InFileDuplicates(keys: [.phone, .email])
        func draft(_ email: String?) -> ContactDraft {
            ContactDraft(ordinal: 1, location: SourceLocation(file: "a.csv", line: 1, byteOffset: 0), email: email)
        }
        let first = RecordID(fileIndex: 0, ordinal: 1)
        #expect(seen.earlierRecord(for: draft("sara@example.com"), id: first) == nil)
        #expect(seen.earlierRecord(for: draft("Sara@Example.com"), id: RecordID(fileIndex: 0, ordinal: 2)) == first)
        #expect(seen.earlierRecord(for: draft("omar@example.com"), id: RecordID(fileIndex: 0, ordinal: 3)) == nil)
        #expect(seen.earlierRecord(for: draft(nil), id: RecordID(fileIndex: 0, ordinal: 4)) == nil)
    }
}
