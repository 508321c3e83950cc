import HatifAPI

/// A contact as the mapping made it from one source record: standard fields normalised, property values
/// in their canonical form, ready to be matched and planned.
public struct ContactDraft: Sendable, Hashable {
    /// The record it came from.
    public var ordinal: Int
    /// Where that record starts.
    public var location: SourceLocation
    public var firstName: String?
    public var lastName: String?
    /// The primary phone, in E.164.
    public var phone: PhoneNumber?
    /// The primary email, lower-cased.
    public var email: String?
    /// Property values by property name, canonical for the property's type.
    public var properties: [String: String]
    /// Things the mapping let pass (e.g. a second phone that was dropped), for the report.
    public var notes: [String]
    /// Fields (`FirstName`, `property:city`, …) whose value came from a later record with the same key:
    /// they only fill what the workspace contact has empty.
    public var filledFields: Set<String> = []

    /// Creates a draft.
    public init(
        ordinal: Int, location: SourceLocation, firstName: String? = nil, lastName: String? = nil, phone: PhoneNumber? = nil,
        email: String? = nil, properties: [String: String] = [:], notes: [String] = []
    ) {
        self.ordinal = ordinal
        self.location = location
        self.firstName = firstName
        self.lastName = lastName
        self.phone = phone
        self.email = email
        self.properties = properties
        self.notes = notes
    }

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
