import Foundation
import HatifAPI

/// Finds the contacts that creates whose outcome is unknown did make: a bulk call whose connection was
/// lost after the write, or a batch a stopped run had in flight.
///
/// It searches by what a created contact itself carries — its E.164 phone, then its email — whatever key
/// the run matches by: a bulk vCard carries no property, so a run matching by `property:crm_id` could
/// never find its own creates by that key, and would send them again. A contact counts as a draft's when
/// it has the draft's phone and email, was created no earlier than `since` less a second (the moment the
/// creates were first sent, by this machine's clock), and no other record owns it (``ContactClaims``).
struct CreatedContactFinder: Sendable {
    /// How much earlier than `since` the server's clock may stamp a contact we created.
    static let clockSkew: TimeInterval = 1

    let index: any ContactIndex

    init(index: any ContactIndex) { self.index = index }

    init(client: HatifClient) { self.init(index: SearchContactIndex(client: client)) }

    /// For each draft, in order, the contact that was created for it, or nil when none was; each contact
    /// returned is claimed in `claims`. `owned` tells which of the contacts found records that `claims` no
    /// longer remembers own (a resumed run's committed results).
    func find(
        _ drafts: [ContactDraft], since: Date, claims: ContactClaims, owned: (Set<String>) async throws -> Set<String> = { _ in [] }
    ) async throws -> [ContactDto?] {
        var values = Set<MatchKeyValue>()
        for draft in drafts {
            if let phone = MatchKey.phone.value(of: draft) { values.insert(MatchKeyValue(.phone, phone)) }
            if let email = MatchKey.email.value(of: draft) { values.insert(MatchKeyValue(.email, email)) }
        }
        guard !values.isEmpty else { return drafts.map { _ in nil } }
        let found = try await index.contacts(for: values)
        let earliest = since.addingTimeInterval(-Self.clockSkew)
        let recent = Set(found.values.joined().filter { $0.creationTime >= earliest }.map(\.id))
        await claims.record(try await owned(recent))
        var result: [ContactDto?] = []
        for draft in drafts {
            let phone = MatchKey.phone.value(of: draft)
            let email = MatchKey.email.value(of: draft)
            let candidates =
                (phone.flatMap { found[MatchKeyValue(.phone, $0)] } ?? []) + (email.flatMap { found[MatchKeyValue(.email, $0)] } ?? [])
            var mine: ContactDto?
            for contact in candidates
            where contact.creationTime >= earliest && MatchKey.phone.value(of: contact) == phone && MatchKey.email.value(of: contact) == email {
                if await claims.claim(contact.id) {
                    mine = contact
                    break
                }
            }
            result.append(mine)
        }
        return result
    }
}
