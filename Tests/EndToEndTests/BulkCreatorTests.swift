import Foundation
import HatifAPI
import HatifImport
import HatifSandbox
import HatifTestSupport
import Testing

@Suite("Bulk creation through vCards")
struct BulkCreatorTests {
    static func draft(_ ordinal: Int, first: String?, last: String?, phone: String?, email: String? = nil, properties: [String: String] = [:]) -> ContactDraft {
        ContactDraft(
            ordinal: ordinal, location: SourceLocation(file: "in.csv", line: ordinal + 1, byteOffset: 0), firstName: first, lastName: last,
            phone: phone.map { PhoneNumber(e164: $0, region: "SA", type: .mobile) }, email: email, properties: properties)
    }

    @Test("names with escapes, line breaks, Arabic and long text survive the vCard trip; results map back by Index")
    func roundTrip() async throws {
        try await SandboxHarness.withClient { sandbox, client in
            _ = try await client.createContactProperty(.init(name: "tier", displayName: "Tier", _type: .text))
            let long = String(repeating: "ب", count: 60) + " Ω"
            let drafts = [
                Self.draft(1, first: "Sara; Jr, \\ the 2nd", last: "Al-Harbi", phone: "+966500111222", properties: ["tier": "Gold"]),
                Self.draft(2, first: "Line\nBreak", last: long, phone: "+966500111223", email: "a@b.co"),
                Self.draft(3, first: "Bad", last: "Phone", phone: "+12"),
                Self.draft(4, first: nil, last: nil, phone: nil, email: "only@email.example"),
            ]
            let outcomes = try await BulkCreator(client: client).create(drafts)
            #expect(outcomes.count == 4)
            guard case .created(let sara) = outcomes[0], case .created(let second) = outcomes[1], case .created(let emailOnly) = outcomes[3] else {
                Issue.record("\(outcomes)")
                return
            }
            guard case .failed(let reason) = outcomes[2] else { Issue.record("\(outcomes[2])"); return }
            #expect(reason.contains("Contact.InvalidPhone"))
            let saraContact = try await client.getContact(id: sara)
            #expect(saraContact.firstName == "Sara; Jr, \\ the 2nd")
            #expect(saraContact.properties.isEmpty, "the bulk call sets no property; the push does, with Update Contact")
            let secondContact = try await client.getContact(id: second)
            #expect(secondContact.firstName == "Line\nBreak")
            #expect(secondContact.lastName == long)
            #expect(secondContact.email == "a@b.co")
            #expect(try await client.getContact(id: emailOnly).email == "only@email.example")
            let counts = await sandbox.server.statistics.snapshot()
            #expect(counts.count("createBulkContactsVCards") == 1)
            #expect(counts.count("updateContact") == 0)
        }
    }

    @Test("drafts are cut into files of at most 500 cards, or fewer bytes when asked")
    func batching() async throws {
        try await SandboxHarness.withClient { sandbox, client in
            let drafts = (0..<1_200).map { Self.draft($0, first: "N\($0)", last: "X", phone: "+9665001" + String(format: "%05d", $0)) }
            let outcomes = try await BulkCreator(client: client).create(drafts)
            #expect(outcomes.allSatisfy { if case .created = $0 { true } else { false } })
            #expect(await sandbox.server.statistics.snapshot().count("createBulkContactsVCards") == 3)
            let all = await sandbox.server.export().contacts
            #expect(all.count == 1_200)
            #expect(Set(all.compactMap(\.phoneNumber)).count == 1_200)
            #expect(all.map(\.firstName) == drafts.map(\.firstName), "created in input order")
        }
    }
}

extension BulkCreatorTests {
    @Test("dropped connections after bulk writes create no duplicate and lose no record", arguments: [UInt64(3), 17, 42])
    func droppedConnections(seed: UInt64) async throws {
        let faults = FaultConfiguration(seed: seed, rateLimit: nil, error500Rate: 0.1, dropRate: 0.4)
        try await SandboxHarness.withClient(SandboxConfiguration(faults: faults)) { sandbox, client in
            let drafts = (0..<700).map { Self.draft($0, first: "N\($0)", last: "X", phone: "+9665002" + String(format: "%05d", $0)) }
            let outcomes = try await BulkCreator(client: client, batchSize: 100, maxUnknownOutcomes: 20).create(drafts)
            #expect(outcomes.allSatisfy { if case .created = $0 { true } else { false } }, "\(outcomes.filter { if case .created = $0 { false } else { true } })")
            let contacts = await sandbox.server.export().contacts
            #expect(contacts.count == 700, "no duplicate, nothing missing")
            #expect(Set(contacts.compactMap(\.phoneNumber)) == Set(drafts.compactMap(\.phone?.e164)))
            let counts = await sandbox.server.statistics.snapshot()
            #expect((counts.dropped["createBulkContactsVCards"] ?? 0) + counts.count("createBulkContactsVCards", status: 500) > 0, "the faults did strike")
            let ids = outcomes.compactMap { if case .created(let id) = $0 { id } else { nil } }
            #expect(Set(ids) == Set(contacts.map(\.id)), "every outcome names the contact that holds its record")
        }
    }
}
