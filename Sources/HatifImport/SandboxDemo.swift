import Foundation
import HatifAPI

/// A short tour of the API client: creates a property and a few contacts, then reads them back.
///
/// What `make demo` runs until the import pipeline lands.
public struct SandboxDemo: Sendable {
    /// One line of the demo's output.
    public typealias Output = @Sendable (String) -> Void

    private let client: HatifClient
    private let output: Output

    /// Creates the demo over a client.
    public init(client: HatifClient, output: @escaping Output) {
        self.client = client
        self.output = output
    }

    /// Runs the demo; returns the contacts in the workspace at the end.
    @discardableResult
    public func run() async throws -> [ContactDto] {
        let existing = try await client.allContactProperties()
        if !existing.contains(where: { $0.name == "loyalty_tier" }) {
            let property = try await client.createContactProperty(
                .init(name: "loyalty_tier", displayName: "Loyalty tier", _type: .singleSelect, options: ["Gold", "Silver", "Bronze"]))
            output("Created property \(property.name) (\(property._type.rawValue): \(property.options.joined(separator: ", ")))")
        }
        let sara = try await client.createContact(
            .init(
                firstName: "Sara", lastName: "Al-Harbi", phoneNumber: "+966500111222", email: "sara@example.com",
                properties: [.init(name: "loyalty_tier", value: "Gold")]))
        output("Created contact \(sara.id) with Create Contact")

        let cards = """
            BEGIN:VCARD\r
            VERSION:4.0\r
            N:Haddad;Omar;;;\r
            TEL;TYPE=cell:+971501234567\r
            END:VCARD\r
            BEGIN:VCARD\r
            VERSION:4.0\r
            N:Dubois;Chloé;;;\r
            TEL:12345\r
            END:VCARD\r
            BEGIN:VCARD\r
            VERSION:4.0\r
            FN:محمد العتيبي\r
            TEL:+966551234567\r
            EMAIL:m.otaibi@example.sa\r
            END:VCARD\r

            """
        let bulk = try await client.createBulkContacts(vcards: Array(cards.utf8), filename: "demo.vcf")
        output("Create Bulk Contacts vCards: \(bulk.createdCount) created, \(bulk.failedCount) failed")
        for item in bulk.items where item.status == .failed {
            output("  card \(item.index): \(item.error?.code ?? "?") \(item.error?.message ?? "")")
        }

        var contacts: [ContactDto] = []
        try await client.forEachContactPage(pageSize: 100) { contacts += $0 }
        output("The workspace holds \(contacts.count) contacts:")
        for contact in contacts {
            let name = [contact.firstName, contact.lastName].compactMap { $0 }.joined(separator: " ")
            let properties = contact.properties.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
            output(
                "  \(name.padding(toLength: 22, withPad: " ", startingAt: 0)) \((contact.phoneNumber ?? "-").padding(toLength: 15, withPad: " ", startingAt: 0)) \(contact.email ?? "-")\(properties.isEmpty ? "" : "  [\(properties)]")"
            )
        }
        return contacts
    }
}
