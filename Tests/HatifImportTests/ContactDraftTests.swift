import Testing

@testable import HatifImport

@Suite("ContactDraft: a value, whatever its storage")
struct ContactDraftTests {
    static func draft(_ ordinal: Int = 1) -> ContactDraft {
        ContactDraft(
            ordinal: ordinal, location: SourceLocation(file: "crm.csv", line: ordinal + 1, byteOffset: Int64(ordinal) * 80), firstName: "Ana", lastName: "Ruiz",
            phone: PhoneNumber(e164: "+14155550123", region: "US", type: .mobile), email: "ana@example.com",
            properties: ["city": "Lima"], notes: ["a note"])
    }

    @Test("a change to one copy leaves every other copy as it was")
    func copiesAreIndependent() {
        let original = Self.draft()
        var changed = original
        let untouched = original
        changed.firstName = "Bea"
        changed.properties["city"] = "Quito"
        changed.properties["tier"] = "gold"
        changed.notes.append("another")
        changed.filledFields.insert("FirstName")
        changed.email = nil
        changed.ordinal = 9
        #expect(original.firstName == "Ana")
        #expect(original.properties == ["city": "Lima"])
        #expect(original.notes == ["a note"])
        #expect(original.filledFields.isEmpty)
        #expect(original.email == "ana@example.com")
        #expect(original.ordinal == 1)
        #expect(untouched == original)
        #expect(changed.firstName == "Bea")
        #expect(changed.properties == ["city": "Quito", "tier": "gold"])
        #expect(changed.notes == ["a note", "another"])
        #expect(changed.filledFields == ["FirstName"])
        #expect(changed.email == nil)
        #expect(changed.ordinal == 9)
        #expect(changed != original)
    }

    @Test("drafts with the same fields are equal and hash alike, however they were made")
    func equalityIsByValue() {
        let one = Self.draft()
        var other = Self.draft()
        #expect(one == other)
        #expect(one.hashValue == other.hashValue)
        other.lastName = "Ruiz"  // the same value written again: still equal
        #expect(one == other)
        #expect(Set([one, other, Self.draft(2)]).count == 2)
        var different = one
        different.properties["city"] = "Cusco"
        #expect(different != one)
        different.properties["city"] = "Lima"
        #expect(different == one)
    }

    @Test("filling a draft from a later one changes neither of them")
    func fillingLeavesSourcesAlone() {
        var first = Self.draft()
        first.firstName = nil
        first.properties = [:]
        var later = Self.draft(2)
        later.firstName = "Ana María"
        later.properties = ["city": "Arequipa", "tier": "gold"]
        let merged = first.filled(from: later)
        #expect(merged.firstName == "Ana María")
        #expect(merged.properties == ["city": "Arequipa", "tier": "gold"])
        #expect(merged.filledFields == ["FirstName", "property:city", "property:tier"])
        #expect(first.firstName == nil)
        #expect(first.properties.isEmpty)
        #expect(first.filledFields.isEmpty)
        #expect(later.filledFields.isEmpty)
    }

    @Test("copies changed on many tasks at once keep their own values")
    func copiesChangedConcurrently() async {
        let shared = Self.draft()
        let results = await withTaskGroup(of: (Int, ContactDraft).self) { group in
            for index in 0..<64 {
                group.addTask {
                    var mine = shared
                    for step in 0..<200 { mine.properties["step"] = "\(index)-\(step)" }
                    mine.firstName = "T\(index)"
                    return (index, mine)
                }
            }
            var all: [(Int, ContactDraft)] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 64)
        for (index, draft) in results {
            #expect(draft.firstName == "T\(index)")
            #expect(draft.properties == ["city": "Lima", "step": "\(index)-199"])
        }
        #expect(shared == Self.draft())
    }
}
