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

    @Test("the hashes are FNV-1a with a 0xFF between parts and SplitMix64's finish, the same in every run and build")
    func knownValues() {
        // Worked out apart from the code (Python), so a faster path over the bytes cannot change a stored hash.
        #expect(StableHash.of("phone", "+966500111222") == 0x8037_4963_536E_BCCD)
        #expect(StableHash.of("email", "سارة@example.com") == 0x6932_47F3_3943_519F)
        #expect(StableHash.of(String(repeating: "a", count: 40)) == 0x410F_D66E_BBEE_682F)
        // A string made from a substring hashes as the same text written out.
        let sliced = String("xx+966500111222".dropFirst(2))
        #expect(StableHash.of("phone", sliced) == StableHash.of("phone", "+966500111222"))
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

    @Test("the table of hashes finds what a dictionary finds, through growth and hashes that share their low bits")
    func recordsByHashAgreeWithADictionary() {
        var table = RecordsByHash()
        var reference: [UInt64: RecordID] = [:]
        var state: UInt64 = 7
        for step in 0..<60_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // One in sixty shares its low 20 bits with the others (one run of slots), a few are 0, and one in
            // six comes again.
            let hash: UInt64 = switch step % 6 {
            case 0: step % 60 == 0 ? state << 20 : state
            case 2: step % 600 == 2 ? 0 : state
            case 3: UInt64(step / 60) &+ 1
            default: state
            }
            let id = RecordID(fileIndex: step % 3, ordinal: step)
            #expect(table.record(for: hash) == reference[hash])
            table.put(hash, id)
            reference[hash] = id
        }
        #expect(table.count == reference.count)
        for (hash, id) in reference where table.record(for: hash) != id {
            Issue.record("hash \(hash): \(String(describing: table.record(for: hash))), not \(id)")
        }
        #expect(table.record(for: 0x1234_5678_9ABC_DEF1) == reference[0x1234_5678_9ABC_DEF1])
    }
}
