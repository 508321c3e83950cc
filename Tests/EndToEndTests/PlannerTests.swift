import Foundation
import HatifAPI
import HatifImport
import HatifSandbox
import HatifTestSupport
import Testing

@Suite("Planning create, update, unchanged, conflict")
struct PlannerTests {
    static let existing = ContactDto(
        id: "c-1", firstName: "Sara", lastName: "Al-Harbi", phoneNumber: "+966500111222", email: "Sara@Example.com",
        properties: [.init(propertyId: "p-1", name: "tier", value: "Gold"), .init(propertyId: "p-2", name: "city", value: "Riyadh")],
        creationTime: Date(timeIntervalSince1970: 1_790_000_000))

    static func draft(first: String? = "Sara", last: String? = "Al-Harbi", email: String? = "sara@example.com", properties: [String: String] = ["tier": "Gold"]) -> ContactDraft {
        ContactDraft(
            ordinal: 1, location: SourceLocation(file: "in.csv", line: 2, byteOffset: 0), firstName: first, lastName: last,
            phone: PhoneNumber(e164: "+966500111222", region: "SA", type: .mobile), email: email, properties: properties)
    }

    @Test("a record equal in canonical form (email case included) plans no update")
    func unchanged() {
        #expect(Planner().plan(Self.draft(), match: .one(Self.existing, key: .phone)) == .unchanged(contactID: "c-1", key: .phone))
    }

    @Test("a changed record plans an update with a field-level diff and keeps every standard field")
    func update() {
        let action = Planner().plan(
            Self.draft(last: "Alharbi", email: nil, properties: ["tier": "Silver", "vip": "true"]), match: .one(Self.existing, key: .phone))
        guard case .update(let id, .phone, let changes, let input) = action else { Issue.record("\(action)"); return }
        #expect(id == "c-1")
        #expect(changes == [
            FieldChange(field: "LastName", old: "Al-Harbi", new: "Alharbi"), FieldChange(field: "property:tier", old: "Gold", new: "Silver"),
            FieldChange(field: "property:vip", old: nil, new: "true"),
        ])
        #expect(input.email == "Sara@Example.com", "a field the record lacks is kept, not cleared")
        #expect(input.firstName == "Sara")
        #expect(input.properties?.map(\.name) == ["tier", "vip"], "only changed properties are sent; city stays as it is")
    }

    @Test("fill-empty sets only empty fields; skip leaves existing contacts alone")
    func policies() {
        let fill = Planner(policy: PlanPolicy(onExisting: .fillEmpty))
            .plan(Self.draft(last: "Alharbi", properties: ["tier": "Silver", "vip": "true"]), match: .one(Self.existing, key: .phone))
        guard case .update(_, _, let changes, _) = fill else { Issue.record("\(fill)"); return }
        #expect(changes == [FieldChange(field: "property:vip", old: nil, new: "true")])
        let skip = Planner(policy: PlanPolicy(onExisting: .skip)).plan(Self.draft(last: "X"), match: .one(Self.existing, key: .phone))
        #expect(skip == .unchanged(contactID: "c-1", key: .phone))
    }

    @Test("several matches are a conflict unless the oldest is chosen; no match is a create")
    func conflictsAndCreates() {
        var newer = Self.existing
        newer.id = "c-2"
        let conflict = Planner().plan(Self.draft(), match: .several([Self.existing, newer], key: .phone))
        #expect(conflict == .conflict(contactIDs: ["c-1", "c-2"], key: .phone))
        let oldest = Planner(policy: PlanPolicy(onMultiple: .oldest)).plan(Self.draft(), match: .several([Self.existing, newer], key: .phone))
        #expect(oldest == .unchanged(contactID: "c-1", key: .phone))
        #expect(Planner().plan(Self.draft(), match: .none).kind == .create)
    }

    @Test("re-importing what was imported plans zero updates against the sandbox")
    func reimportPlansNothing() async throws {
        try await SandboxHarness.withClient { sandbox, client in
            let mapping = try MappingFile.parse(
                """
                region: SA
                fields:
                  - {source: name, target: FirstName}
                  - {source: phone, target: PhoneNumber}
                  - {source: mail, target: Email}
                  - {source: score, target: "property:score", transforms: [number]}
                properties: {score: {type: Number}}
                """)
            try await PropertySync(client: client, mapping: mapping).apply(try await PropertySync(client: client, mapping: mapping).plan())
            let mapper = Mapper(mapping: mapping)
            let records = (0..<60).map { index in
                SourceRecord(
                    ordinal: index + 1, location: SourceLocation(file: "in.csv", line: index + 2, byteOffset: 0),
                    names: ["name", "phone", "mail", "score"],
                    values: ["N\(index)", "05000\(String(format: "%05d", index))", "N\(index)@Example.com", "1.234,50"])
            }
            let drafts = try records.map { try mapper.map($0).get() }
            for draft in drafts { _ = try await client.createContact(draft.contactInput) }
            await sandbox.server.statistics.reset()

            let matcher = ContactMatcher(keys: [.phone], index: SearchContactIndex(client: client))
            let actions = zip(drafts, try await matcher.match(drafts)).map { Planner().plan($0, match: $1) }
            #expect(actions.allSatisfy { $0.kind == .unchanged }, "\(actions.filter { $0.kind != .unchanged })")
            let counts = await sandbox.server.statistics.snapshot()
            #expect(counts.writes == 0)
            #expect(counts.count("searchContacts") == 1)
        }
    }
}
