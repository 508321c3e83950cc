import Foundation
import HatifAPI

/// Creates contacts through Create Bulk Contacts vCards and maps each result's `Index` back to its
/// record. The bulk call sets no custom property; the push sets them afterwards with Update Contact.
///
/// A bulk call whose outcome is unknown (the connection was lost after sending, a 500, a timeout) is
/// never sent again blindly: the contacts it may have made are searched for by what they carry (their
/// phone and email, ``CreatedContactFinder``), whatever key the run matches by; those found count as
/// created, and only the missing cards are sent again.
public struct BulkCreator: Sendable {
    /// What became of one draft.
    public enum Outcome: Sendable, Hashable {
        case created(contactID: String)
        case failed(reason: String)
    }

    private let client: HatifClient
    private let batcher: VCardBatcher
    private let finder: CreatedContactFinder
    private let maxUnknownOutcomes: Int

    /// Creates a bulk creator; `batchSize` caps the cards per call (at most 500); after
    /// `maxUnknownOutcomes` unknown outcomes in a row for one batch the error is passed on.
    public init(client: HatifClient, batchSize: Int = 500, maxBytes: Int = 5 << 20, maxUnknownOutcomes: Int = 5) {
        self.client = client
        self.batcher = VCardBatcher(maxCards: batchSize, maxBytes: maxBytes)
        self.finder = CreatedContactFinder(client: client)
        self.maxUnknownOutcomes = maxUnknownOutcomes
    }

    /// Creates `drafts`, one bulk file after the other, returning one outcome per draft, in order.
    public func create(_ drafts: [ContactDraft]) async throws -> [Outcome] {
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(drafts.count)
        let claims = ContactClaims()
        for file in batcher.files(for: drafts) { outcomes += try await send(file, claims: claims) }
        return outcomes
    }

    /// The bulk files for `drafts`, in order.
    func files(for drafts: [ContactDraft]) -> [VCardBatcher.File] { batcher.files(for: drafts) }

    /// Sends one batch until every card has a known outcome, reconciling unknown outcomes by searching
    /// for the contacts they may have made; `claims` knows the contacts other records own.
    func send(_ file: VCardBatcher.File, claims: ContactClaims) async throws -> [Outcome] {
        let drafts = file.drafts
        var results = [Outcome?](repeating: nil, count: drafts.count)
        var pending = Array(drafts.indices)
        var unknown = 0
        let since = Date()
        while !pending.isEmpty {
            let batch = pending.map { drafts[$0] }
            let bytes = pending.flatMap { file.cards[$0] }
            do {
                // Sending again after an unknown outcome is recovery, counted apart from the planned requests.
                let result = try await RequestCounter.$recovering.withValue(unknown > 0 || RequestCounter.recovering) {
                    try await client.createBulkContacts(vcards: bytes, filename: "hatif-import.vcf")
                }
                var byIndex = [Int: Components.Schemas.BulkVCardItem]()
                for item in result.items { byIndex[Int(item.index)] = item }
                for (position, original) in pending.enumerated() {
                    guard let item = byIndex[position] else {
                        results[original] = .failed(reason: "the server returned no result for card \(position)")
                        continue
                    }
                    if item.status == .created, let id = item.contactId {
                        await claims.record(id)
                        results[original] = .created(contactID: id)
                    } else {
                        results[original] = .failed(reason: item.error.map { "\($0.code): \($0.message)" } ?? "not created")
                    }
                }
                pending = []
            } catch let error as HatifAPIError where Self.outcomeUnknown(error) {
                unknown += 1
                guard unknown <= maxUnknownOutcomes else { throw error }
                // Some or all cards may have been created: find them before sending anything again.
                let created = try await RequestCounter.$recovering.withValue(true) { try await finder.find(batch, since: since, claims: claims) }
                var stillMissing: [Int] = []
                for (position, original) in pending.enumerated() {
                    if let contact = created[position] {
                        results[original] = .created(contactID: contact.id)
                    } else {
                        stillMissing.append(original)
                    }
                }
                pending = stillMissing
            }
        }
        return results.map { $0 ?? .failed(reason: "no outcome") }
    }

    /// Whether the bulk call may or may not have created its cards.
    static func outcomeUnknown(_ error: HatifAPIError) -> Bool {
        switch error {
        case .transport: return true
        case .response(let details): return [500, 502, 504].contains(details.status)
        case .invalidResponse: return true
        case .authentication: return false
        }
    }
}
