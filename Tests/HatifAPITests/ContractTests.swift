import Foundation
import HatifAPI
import HatifSandbox
import HatifTestSupport
import Testing

/// The client against the in-process sandbox over real HTTP, operation by operation.
@Suite("Contract: client ↔ sandbox")
struct ContractTests {
    @Test("contact properties can be created, listed, updated, counted and deleted")
    func contactPropertyLifecycle() async throws {
        try await SandboxHarness.withClient { _, client in
            let tier = try await client.createContactProperty(
                .init(name: "loyalty_tier", displayName: "Loyalty tier", _type: .singleSelect, options: ["Gold", "Silver"]))
            #expect(tier.name == "loyalty_tier")
            #expect(tier._type == .singleSelect)
            #expect(tier.options == ["Gold", "Silver"])
            #expect(tier.isSystem == false)
            let score = try await client.createContactProperty(.init(name: "score", displayName: "Score", _type: .number))

            let listed = try await client.allContactProperties(pageSize: 1)
            #expect(listed.map(\.name) == ["loyalty_tier", "score"])

            let updated = try await client.updateContactProperty(
                id: tier.id, .init(displayName: "Tier", options: ["Gold", "Silver", "Bronze"]))
            #expect(updated.displayName == "Tier")
            #expect(updated.options == ["Gold", "Silver", "Bronze"])
            #expect(updated._type == .singleSelect)

            _ = try await client.createContact(
                .init(phoneNumber: "+966500111222", properties: [.init(name: "score", value: "42.50")]))
            let statistics = try await client.contactPropertiesStatistics()
            #expect(statistics.items.first { $0.name == "score" }?.contactsWithValue == 1)
            #expect(statistics.items.first { $0.name == "loyalty_tier" }?.contactsWithValue == 0)

            try await client.deleteContactProperty(id: score.id)
            #expect(try await client.allContactProperties().map(\.name) == ["loyalty_tier"])
            let contact = try await client.getContacts().items[0]
            #expect(contact.properties.isEmpty, "deleting a property drops its values")
        }
    }

    @Test("a duplicate property name is a 409, and a name outside ^[a-z][a-z0-9_]{0,63}$ a 400 naming Name")
    func propertyNameRules() async throws {
        try await SandboxHarness.withClient { _, client in
            _ = try await client.createContactProperty(.init(name: "crm_id", displayName: "CRM id", _type: .text))
            let conflict = await #expect(throws: HatifAPIError.self) {
                _ = try await client.createContactProperty(.init(name: "crm_id", displayName: "x", _type: .number))
            }
            #expect(conflict?.status == 409)
            for name in ["9lives", "CRM_ID", "has-dash", String(repeating: "a", count: 65)] {
                let error = await #expect(throws: HatifAPIError.self) {
                    _ = try await client.createContactProperty(.init(name: name, displayName: "x", _type: .text))
                }
                #expect(error?.status == 400, "name \(name)")
            }
            let invalid = await #expect(throws: HatifAPIError.self) {
                _ = try await client.createContactProperty(.init(name: "9lives", displayName: "x", _type: .text))
            }
            guard case .response(let details) = invalid else { Issue.record("expected an error response"); return }
            #expect(details.status == 400)
            #expect(details.code == "ContactProperty.InvalidName")
            #expect(details.validationErrors.first?.members == ["Name"])
        }
    }

    @Test("a contact can be created, read, updated, given and stripped of property values, and deleted")
    func contactLifecycle() async throws {
        try await SandboxHarness.withClient { _, client in
            let tier = try await client.createContactProperty(
                .init(name: "loyalty_tier", displayName: "Tier", _type: .singleSelect, options: ["Gold", "Silver"]))
            _ = try await client.createContactProperty(.init(name: "vip", displayName: "VIP", _type: .boolean))

            let created = try await client.createContact(
                .init(
                    firstName: "Sara", lastName: "Al-Harbi", phoneNumber: "+966500111222", email: "sara@example.com",
                    properties: [.init(name: "loyalty_tier", value: "gold")]))
            #expect(created.properties.map(\.value) == ["Gold"], "select values come back spelled as the option")
            #expect(created.lastModificationTime == nil)

            let read = try await client.getContact(id: created.id)
            #expect(read == created)

            // Update replaces standard fields (Email missing → cleared) and sets only the listed properties.
            let updated = try await client.updateContact(
                id: created.id,
                .init(firstName: "Sara", lastName: "Alharbi", phoneNumber: "+966500111222", properties: [.init(name: "vip", value: "TRUE")]))
            #expect(updated.lastName == "Alharbi")
            #expect(updated.email == nil)
            #expect(Dictionary(uniqueKeysWithValues: updated.properties.map { ($0.name, $0.value) }) == ["loyalty_tier": "Gold", "vip": "true"])
            #expect(updated.lastModificationTime != nil)

            let set = try await client.setPropertyValue(contactID: created.id, propertyID: tier.id, value: "Silver")
            #expect(set.properties.first { $0.name == "loyalty_tier" }?.value == "Silver")
            try await client.deletePropertyValue(contactID: created.id, propertyID: tier.id)
            #expect(try await client.getContact(id: created.id).properties.map(\.name) == ["vip"])

            let history = try await client.contactHistory(id: created.id)
            #expect(history.items.map(\.action) == [.created, .updated, .propertySet, .propertyDeleted])
            let lastNameChange = history.items[1].changes.first { $0.field == "LastName" }
            #expect(lastNameChange?.oldValue == "Al-Harbi")
            #expect(lastNameChange?.newValue == "Alharbi")

            try await client.deleteContact(id: created.id)
            let missing = await #expect(throws: HatifAPIError.self) { _ = try await client.getContact(id: created.id) }
            #expect(missing?.status == 404)
        }
    }

    @Test("an invalid contact is a 400 whose code, message and validation members decode into HatifAPIError")
    func errorBodiesDecode() async throws {
        try await SandboxHarness.withClient { _, client in
            let error = await #expect(throws: HatifAPIError.self) {
                _ = try await client.createContact(.init(firstName: "Bad", phoneNumber: "0500111222"))
            }
            guard case .response(let details) = error else { Issue.record("expected an error response"); return }
            #expect(details.operation == "createContact")
            #expect(details.status == 400)
            #expect(details.code == "Contact.InvalidPhone")
            #expect(details.message == "Phone number is not valid.")
            #expect(details.validationErrors.map(\.members) == [["PhoneNumber"]])
            #expect(details.requestID?.hasPrefix("sbx-") == true)
            #expect("\(details)".contains("Contact.InvalidPhone"))

            let noKey = await #expect(throws: HatifAPIError.self) { _ = try await client.createContact(.init(firstName: "Nobody")) }
            #expect(noKey.flatMap { if case .response(let d) = $0 { d.code } else { nil } } == "Contact.PhoneOrEmailRequired")

            _ = try await client.createContactProperty(.init(name: "score", displayName: "Score", _type: .number))
            let badValue = await #expect(throws: HatifAPIError.self) {
                _ = try await client.createContact(.init(phoneNumber: "+966500111222", properties: [.init(name: "score", value: "lots")]))
            }
            guard case .response(let valueDetails) = badValue else { Issue.record("expected an error response"); return }
            #expect(valueDetails.code == "ContactProperty.InvalidValue")
            #expect(valueDetails.validationErrors.first?.members == ["Properties[score]"])
        }
    }

    @Test("Search Contacts [Complex] ORs groups, ANDs filters, ignores email case and orders by creation")
    func complexSearch() async throws {
        try await SandboxHarness.withClient { _, client in
            _ = try await client.createContactProperty(
                .init(name: "loyalty_tier", displayName: "Tier", _type: .singleSelect, options: ["Gold", "Silver"]))
            let a = try await client.createContact(.init(firstName: "A", phoneNumber: "+966500000001"))
            let b = try await client.createContact(
                .init(firstName: "B", email: "B@Example.com", properties: [.init(name: "loyalty_tier", value: "Gold")]))
            let c = try await client.createContact(
                .init(firstName: "C", email: "b@example.com", properties: [.init(name: "loyalty_tier", value: "Silver")]))
            let d = try await client.createContact(.init(firstName: "D", phoneNumber: "+966500000001"))

            let result = try await client.searchContacts(
                .init(
                    filterGroups: [
                        .init(filters: [.init(field: "PhoneNumber", _operator: ._in, values: ["+966500000001", "+966500000009"])]),
                        .init(filters: [
                            .init(field: "Email", _operator: .equals, value: "b@EXAMPLE.com"),
                            .init(field: "property:loyalty_tier", _operator: .equals, value: "Gold"),
                        ]),
                    ], maxResultCount: 100))
            #expect(result.items.map(\.id) == [a.id, b.id, d.id], "the server does not deduplicate: both phone matches come back")
            #expect(result.totalCount == 3)

            let paged = try await client.searchContacts(
                .init(filterGroups: [.init(filters: [.init(field: "FirstName", _operator: .isNotEmpty)])], skipCount: 2, maxResultCount: 1))
            #expect(paged.items.map(\.id) == [c.id])
            #expect(paged.totalCount == 4)

            let tooMany = await #expect(throws: HatifAPIError.self) {
                _ = try await client.searchContacts(
                    .init(filterGroups: [.init(filters: [.init(field: "PhoneNumber", _operator: ._in, values: (0..<101).map { "+9665000\($0)" })])]))
            }
            #expect(tooMany?.status == 400)
            let unknown = await #expect(throws: HatifAPIError.self) {
                _ = try await client.searchContacts(.init(filterGroups: [.init(filters: [.init(field: "property:nope", _operator: .isEmpty)])]))
            }
            #expect(unknown?.status == 400)
        }
    }

    @Test("Get Contacts Search matches a substring of name, phone or email")
    func textSearch() async throws {
        try await SandboxHarness.withClient { _, client in
            _ = try await client.createContact(.init(firstName: "Layla", lastName: "Haddad", phoneNumber: "+971501234567"))
            _ = try await client.createContact(.init(firstName: "Omar", email: "omar@haddad.example"))
            _ = try await client.createContact(.init(firstName: "Chloé", phoneNumber: "+33612345678"))
            #expect(try await client.searchContactsText(keyword: "hadd").items.map(\.firstName) == ["Layla", "Omar"])
            #expect(try await client.searchContactsText(keyword: "3361").items.map(\.firstName) == ["Chloé"])
            #expect(try await client.searchContactsText(keyword: "CHLO").totalCount == 1)
        }
    }

    @Test("a bulk vCards call with one bad phone among three cards creates two and fails the one at Index 1")
    func bulkVCardsPartialFailure() async throws {
        try await SandboxHarness.withClient { _, client in
            let fixture = try #require(Bundle.module.url(forResource: "Fixtures/three-cards-one-bad-phone", withExtension: "vcf"))
            let cards = try Data(contentsOf: fixture)
            let result = try await client.createBulkContacts(vcards: Array(cards))
            #expect(result.totalCount == 3)
            #expect(result.createdCount == 2)
            #expect(result.failedCount == 1)
            #expect(result.items.map(\.index) == [0, 1, 2])
            #expect(result.items.map(\.status) == [.created, .failed, .created])
            #expect(result.items[1].error?.code == "Contact.InvalidPhone")
            #expect(result.items[1].contactId == nil)

            let omar = try await client.getContact(id: try #require(result.items[0].contactId))
            #expect(omar.firstName == "Omar")
            #expect(omar.lastName == "Haddad")
            #expect(omar.phoneNumber == "+971501234567")
            let sara = try await client.getContact(id: try #require(result.items[2].contactId))
            #expect(sara.firstName == "Sara")
            #expect(sara.lastName == "Al-Harbi")
            #expect(sara.phoneNumber == "+966500111222")
            #expect(sara.email == "sara@example.com")
        }
    }

    @Test("a bulk vCards file over 500 cards is a 413 and creates nothing")
    func bulkVCardsTooManyCards() async throws {
        try await SandboxHarness.withClient { sandbox, client in
            let cards = (0..<501).map { "BEGIN:VCARD\r\nVERSION:4.0\r\nTEL:+9665001\(String(format: "%05d", $0))\r\nEND:VCARD\r\n" }.joined()
            let error = await #expect(throws: HatifAPIError.self) { _ = try await client.createBulkContacts(vcards: Array(cards.utf8)) }
            #expect(error?.status == 413)
            #expect(await sandbox.server.export().contacts.isEmpty)
        }
    }

    @Test("paging through Get Contacts returns every contact exactly once, in creation order")
    func pagingReturnsEveryContactOnce() async throws {
        try await SandboxHarness.withClient { _, client in
            var created: [String] = []
            for batch in 0..<3 {
                let cards = (0..<90).map { index in
                    "BEGIN:VCARD\r\nVERSION:4.0\r\nN:Contact;\(batch)-\(index);;;\r\nTEL:+96650\(String(format: "%07d", batch * 1000 + index))\r\nEND:VCARD\r\n"
                }.joined()
                let result = try await client.createBulkContacts(vcards: Array(cards.utf8))
                created += result.items.compactMap(\.contactId)
            }
            #expect(created.count == 270)
            var seen: [String] = []
            let total = try await client.forEachContactPage(pageSize: 37) { page in seen += page.map(\.id) }
            #expect(total == 270)
            #expect(seen == created)
            #expect(Set(seen).count == seen.count)
        }
    }

    @Test("a page size above 1000 is a 400")
    func pageSizeLimit() async throws {
        try await SandboxHarness.withClient { _, client in
            let error = await #expect(throws: HatifAPIError.self) { _ = try await client.getContacts(max: 1001) }
            #expect(error?.status == 400)
        }
    }
}
