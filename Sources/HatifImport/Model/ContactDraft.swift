import HatifAPI

/// A contact as the mapping made it from one source record: standard fields normalised, property values
/// in their canonical form, ready to be matched and planned.
///
/// A value type whose fields live in one shared, copy-on-write storage: a draft is copied several times
/// on its way from the mapping to the journal (into the window, the plan, the push), and a copy of the
/// fields themselves retained each of their strings and collections every time.
public struct ContactDraft: Sendable, Hashable {
    /// The fields, compared and hashed as the draft.
    private struct Fields: Hashable {
        var ordinal: Int
        var location: SourceLocation
        var firstName: String?
        var lastName: String?
        var phone: PhoneNumber?
        var email: String?
        var properties: [String: String]
        var notes: [String]
        var filledFields: Set<String> = []
    }

    /// The storage drafts share until one of them changes a field (then it gets its own copy).
    /// `@unchecked Sendable`: `fields` is changed only through a draft that holds the only reference
    /// (``fieldsForChange``), so no storage is changed once another draft, on any thread, can read it.
    /// For the same reason no two accesses to one storage's `fields` can overlap unless they are both
    /// reads, and the compiler's static checks on the draft itself catch a change that overlaps a read
    /// of the same draft: the runtime's check on each access (`swift_beginAccess`, a call for every field
    /// read) is left out.
    private final class Storage: @unchecked Sendable {
        @exclusivity(unchecked) var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var storage: Storage

    /// The fields, for a change: the storage copied first unless this draft holds the only reference.
    private var fieldsForChange: Fields {
        get { storage.fields }
        _modify {
            if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.fields) }
            yield &storage.fields
        }
    }

    /// The record it came from.
    public var ordinal: Int {
        get { storage.fields.ordinal }
        _modify { yield &fieldsForChange.ordinal }
    }
    /// Where that record starts.
    public var location: SourceLocation {
        get { storage.fields.location }
        _modify { yield &fieldsForChange.location }
    }
    public var firstName: String? {
        get { storage.fields.firstName }
        _modify { yield &fieldsForChange.firstName }
    }
    public var lastName: String? {
        get { storage.fields.lastName }
        _modify { yield &fieldsForChange.lastName }
    }
    /// The primary phone, in E.164.
    public var phone: PhoneNumber? {
        get { storage.fields.phone }
        _modify { yield &fieldsForChange.phone }
    }
    /// The primary email, lower-cased.
    public var email: String? {
        get { storage.fields.email }
        _modify { yield &fieldsForChange.email }
    }
    /// Property values by property name, canonical for the property's type.
    public var properties: [String: String] {
        get { storage.fields.properties }
        _modify { yield &fieldsForChange.properties }
    }
    /// Things the mapping let pass (e.g. a second phone that was dropped), for the report.
    public var notes: [String] {
        get { storage.fields.notes }
        _modify { yield &fieldsForChange.notes }
    }
    /// Fields (`FirstName`, `property:city`, …) whose value came from a later record with the same key:
    /// they only fill what the workspace contact has empty.
    public var filledFields: Set<String> {
        get { storage.fields.filledFields }
        _modify { yield &fieldsForChange.filledFields }
    }

    /// Creates a draft.
    public init(
        ordinal: Int, location: SourceLocation, firstName: String? = nil, lastName: String? = nil, phone: PhoneNumber? = nil,
        email: String? = nil, properties: [String: String] = [:], notes: [String] = []
    ) {
        storage = Storage(
            Fields(
                ordinal: ordinal, location: location, firstName: firstName, lastName: lastName, phone: phone, email: email,
                properties: properties, notes: notes))
    }

    public static func == (lhs: ContactDraft, rhs: ContactDraft) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.fields == rhs.storage.fields
    }

    public func hash(into hasher: inout Hasher) { storage.fields.hash(into: &hasher) }

    /// The body of Create Contact / Update Contact for this draft.
    public var contactInput: ContactInput {
        ContactInput(
            firstName: firstName, lastName: lastName, phoneNumber: phone?.e164, email: email,
            properties: properties.isEmpty ? nil : properties.sorted { $0.key < $1.key }.map { .init(name: $0.key, value: $0.value) })
    }

    /// This draft with a later record's values for the same contact filling the fields this one lacks;
    /// those fields are noted in ``filledFields``.
    public func filled(from later: ContactDraft) -> ContactDraft {
        var merged = self
        func fill<T>(_ field: String, _ mine: WritableKeyPath<ContactDraft, T?>) {
            guard merged[keyPath: mine] == nil, let theirs = later[keyPath: mine] else { return }
            merged[keyPath: mine] = theirs
            merged.filledFields.insert(field)
        }
        fill("FirstName", \.firstName)
        fill("LastName", \.lastName)
        fill("PhoneNumber", \.phone)
        fill("Email", \.email)
        for (name, value) in later.properties where merged.properties[name] == nil {
            merged.properties[name] = value
            merged.filledFields.insert("property:\(name)")
        }
        return merged
    }
}
