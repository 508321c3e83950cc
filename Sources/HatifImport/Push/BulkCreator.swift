import HatifAPI

/// Creates contacts through Create Bulk Contacts vCards and maps each result's `Index` back to its
/// record; then sets the custom property values on the created contacts that have any (the bulk call
/// sets none).
public struct BulkCreator: Sendable {
    /// What became of one draft.
    public enum Outcome: Sendable, Hashable {
        case created(contactID: String)
        /// Created, but setting its properties failed.
        case createdWithoutProperties(contactID: String, reason: String)
        case failed(reason: String)
    }

    private let client: HatifClient
    private let batcher: VCardBatcher

    /// Creates a bulk creator; `batchSize` caps the cards per call (at most 500).
    public init(client: HatifClient, batchSize: Int = 500) {
        self.client = client
        self.batcher = VCardBatcher(maxCards: batchSize)
    }

    /// Creates `drafts`, returning one outcome per draft, in order.
    public func create(_ drafts: [ContactDraft]) async throws -> [Outcome] {
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(drafts.count)
        for file in batcher.files(for: drafts) {
            let result = try await client.createBulkContacts(vcards: file.bytes, filename: "hatif-import.vcf")
            var byIndex = [Int: Components.Schemas.BulkVCardItem]()
            for item in result.items { byIndex[Int(item.index)] = item }
            for (index, draft) in file.drafts.enumerated() {
                guard let item = byIndex[index] else {
                    outcomes.append(.failed(reason: "the server returned no result for card \(index)"))
                    continue
                }
                guard item.status == .created, let id = item.contactId else {
                    let error = item.error.map { "\($0.code): \($0.message)" } ?? "not created"
                    outcomes.append(.failed(reason: error))
                    continue
                }
                guard !draft.properties.isEmpty else {
                    outcomes.append(.created(contactID: id))
                    continue
                }
                do {
                    _ = try await client.updateContact(id: id, draft.contactInput)
                    outcomes.append(.created(contactID: id))
                } catch let error as HatifAPIError {
                    outcomes.append(.createdWithoutProperties(contactID: id, reason: "\(error)"))
                }
            }
        }
        return outcomes
    }
}
