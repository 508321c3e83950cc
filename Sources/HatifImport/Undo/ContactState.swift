import HatifAPI

/// A 64-bit fingerprint of everything a contact holds (its standard fields and its property values), as
/// the run that wrote it left it: an undo compares it with the contact's fingerprint today to tell whether
/// anyone changed the contact since.
///
/// Values, not times: a modification time compares a server clock with itself only when the write's own
/// response carries one (a bulk create's does not), and one kept to the second misses an edit made in
/// the same second; equal values mean there is nothing of anyone else's to lose.
public enum ContactState {
    /// The fingerprint of a contact as the API returns it.
    public static func fingerprint(_ contact: ContactDto, without cleared: Set<String> = []) -> Int64 {
        fingerprint(
            firstName: contact.firstName, lastName: contact.lastName, phone: contact.phoneNumber, email: contact.email,
            properties: contact.properties.filter { !cleared.contains($0.name) }.map { ($0.name, $0.value) })
    }

    /// The fingerprint of a contact created from `draft` with no property value (a bulk create alone).
    static func fingerprint(createdFrom draft: ContactDraft) -> Int64 {
        fingerprint(firstName: draft.firstName, lastName: draft.lastName, phone: draft.phone?.e164, email: draft.email, properties: [])
    }

    /// The fingerprint of these values; empty ones count as missing, emails without case.
    public static func fingerprint(firstName: String?, lastName: String?, phone: String?, email: String?, properties: [(String, String)]) -> Int64 {
        func part(_ value: String?) -> String { value.flatMap { $0.isEmpty ? nil : $0 } ?? "\u{0}" }
        var parts = [part(firstName), part(lastName), part(phone), part(email?.lowercased())]
        for (name, value) in properties.filter({ !$0.1.isEmpty }).sorted(by: { $0.0 < $1.0 }) { parts += [name, value] }
        return Int64(bitPattern: StableHash.of(parts: parts))
    }
}
