import Foundation
import HatifAPI
import HatifImport
import HatifSandbox
import HatifTestSupport
import Testing

@Suite("Matching drafts to workspace contacts")
struct ContactMatcherTests {
    static let start = Date(timeIntervalSince1970: 1_790_000_000)

    /// 1,200 workspace contacts: phones +9665000NNNNN, emails cNNNN@example.com, crm ids CRM-NNNN; contact 7's
    /// phone is also on contact 1,199 (a duplicate already in the workspace).
    static func workspace() -> SandboxSnapshot {
        let property = ContactPropertyDto(
            id: UUID().uuidString.lowercased(), name: "crm_id", displayName: "CRM id", _type: .text, options: [], isSystem: false,
            creationTime: start)
        let contacts = (0..<1200).map { index in
            ContactDto(
                id: UUID().uuidString.lowercased(), firstName: "C\(index)", lastName: nil,
                phoneNumber: index == 1199 ? phone(7) : phone(index), email: "c\(index)@example.com",
                properties: [.init(propertyId: property.id, name: "crm_id", value: "CRM-\(index)")],
                creationTime: start.addingTimeInterval(Double(index)), lastModificationTime: nil)
        }
        return SandboxSnapshot(properties: [property], contacts: contacts)
    }

    static func phone(_ index: Int) -> String { "+9665000" + String(format: "%05d", index) }

    static func draft(_ ordinal: Int, phone: String? = nil, email: String? = nil, crm: String? = nil) -> ContactDraft {
        ContactDraft(
            ordinal: ordinal, location: SourceLocation(file: "in.csv", line: ordinal + 1, byteOffset: 0),
            phone: phone.map { PhoneNumber(e164: $0, region: "SA", type: .mobile) }, email: email,
            properties: crm.map { ["crm_id": $0] } ?? [:])
    }

    /// 500 drafts: 300 known phones, 100 new phones, 50 known emails only, 50 new emails only.
    static func drafts() -> [ContactDraft] {
        (0..<300).map { draft($0, phone: phone($0 * 3)) } + (0..<100).map { draft(300 + $0, phone: phone(50_000 + $0)) }
            + (0..<50).map { draft(400 + $0, email: "C\($0 * 2 + 1)@Example.com") }
            + (0..<50).map { draft(450 + $0, email: "new\($0)@example.com") }
    }

    static func check(_ results: [MatchResult], snapshot: SandboxSnapshot) {
        let byPhone = Dictionary(grouping: snapshot.contacts, by: { $0.phoneNumber ?? "" })
        #expect(results.count == 500)
        for (index, result) in results.enumerated() {
            switch index {
            case 0..<300 where index * 3 == 7:
                Issue.record("phone 7 is not among the drafts")
            case 0..<300:
                #expect(result == .one(byPhone[phone(index * 3)]![0], key: .phone), "draft \(index)")
            case 300..<400, 450..<500:
                #expect(result == .none, "draft \(index)")
            default:
                guard case .one(let contact, .email) = result else { Issue.record("draft \(index): \(result)"); continue }
                #expect(contact.email == "c\((index - 400) * 2 + 1)@example.com")
            }
        }
    }

    @Test("batched Search Contacts [Complex] finds every match with at most one call per 50 records")
    func search() async throws {
        try await SandboxHarness.withClient { sandbox, client in
            let snapshot = Self.workspace()
            try await sandbox.server.load(snapshot)
            let matcher = try await ContactMatcher.make(keys: [.phone, .email], strategy: .search, client: client, expectedRecords: 500)
            let results = try await matcher.match(Self.drafts())
            Self.check(results, snapshot: snapshot)
            let searches = await sandbox.server.statistics.snapshot().count("searchContacts")
            #expect(searches >= 1)
            #expect(searches <= 500 / 50)
        }
    }

    @Test("prefetch pages through Get Contacts once and finds the same matches without searching")
    func prefetch() async throws {
        try await SandboxHarness.withClient { sandbox, client in
            let snapshot = Self.workspace()
            try await sandbox.server.load(snapshot)
            let matcher = try await ContactMatcher.make(keys: [.phone, .email], strategy: .auto, client: client, expectedRecords: 5_000)
            let results = try await matcher.match(Self.drafts())
            Self.check(results, snapshot: snapshot)
            let counts = await sandbox.server.statistics.snapshot()
            #expect(counts.count("searchContacts") == 0)
            #expect(counts.count("getContacts") == 3, "one size probe, then 2 pages of 1,000")
        }
    }

    @Test("the first key that finds a contact wins, and a key shared by two contacts is a conflict")
    func orderedKeysAndConflicts() async throws {
        try await SandboxHarness.withClient { sandbox, client in
            let snapshot = Self.workspace()
            try await sandbox.server.load(snapshot)
            let matcher = ContactMatcher(keys: [.property("crm_id"), .phone, .email], index: SearchContactIndex(client: client))
            let results = try await matcher.match([
                Self.draft(1, phone: Self.phone(10), crm: "CRM-20"),
                Self.draft(2, phone: Self.phone(7)),
                Self.draft(3, phone: Self.phone(60_000), email: "c30@example.com"),
            ])
            guard case .one(let byCRM, .property("crm_id")) = results[0] else { Issue.record("\(results[0])"); return }
            #expect(byCRM.firstName == "C20")
            guard case .several(let duplicates, .phone) = results[1] else { Issue.record("\(results[1])"); return }
            #expect(duplicates.map(\.firstName) == ["C7", "C1199"], "oldest first")
            guard case .one(let byEmail, .email) = results[2] else { Issue.record("\(results[2])"); return }
            #expect(byEmail.firstName == "C30")
        }
    }

    @Test("more matches than a page are followed across pages")
    func paging() async throws {
        try await SandboxHarness.withClient { sandbox, client in
            var snapshot = Self.workspace()
            // 1,100 more contacts sharing one email: the search page of 1,000 must be followed.
            let shared = (0..<1100).map { index in
                ContactDto(
                    id: UUID().uuidString.lowercased(), firstName: "S\(index)", email: "shared@example.com", properties: [],
                    creationTime: Self.start.addingTimeInterval(10_000 + Double(index)))
            }
            snapshot.contacts += shared
            try await sandbox.server.load(snapshot)
            let matcher = ContactMatcher(keys: [.email], index: SearchContactIndex(client: client))
            let results = try await matcher.match([Self.draft(1, email: "shared@example.com")])
            guard case .several(let all, .email) = results[0] else { Issue.record("\(results[0])"); return }
            #expect(all.count == 1100)
        }
    }
}
