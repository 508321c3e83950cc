import HatifAPI

/// Decides, per record, between create, update (with a field-level diff), unchanged, conflict and reject.
///
/// Values are compared in canonical form (E.164 phones, lower-case emails, the API's canonical property
/// values), so importing the same file again plans no update at all.
public struct Planner: Sendable {
    /// The policy in force.
    public let policy: PlanPolicy

    /// Creates a planner.
    public init(policy: PlanPolicy = PlanPolicy()) { self.policy = policy }

    /// The action for `draft` given what the workspace holds for it.
    public func plan(_ draft: ContactDraft, match: MatchResult) -> PlannedAction {
        switch match {
        case .none:
            return .create(draft)
        case .several(let contacts, let key):
            guard policy.onMultiple == .oldest, let oldest = contacts.first else {
                return .conflict(contactIDs: contacts.map(\.id), key: key)
            }
            return plan(draft, existing: oldest, key: key)
        case .one(let contact, let key):
            return plan(draft, existing: contact, key: key)
        }
    }

    private func plan(_ draft: ContactDraft, existing: ContactDto, key: MatchKey) -> PlannedAction {
        // A contact `--on-missing flag` marked as gone from the source is back: its flag goes.
        let flag = existing.properties.first { $0.name == MissingPolicy.property && !$0.value.isEmpty }
        let unflag = flag.map { FieldChange(field: "property:\(MissingPolicy.property)", old: $0.value, new: nil) }
        if policy.onExisting == .skip {
            guard let unflag else { return .unchanged(contactID: existing.id, key: key) }
            return .update(contactID: existing.id, key: key, changes: [unflag], input: ContactInput(phoneNumber: existing.phoneNumber, email: existing.email))
        }
        var changes: [FieldChange] = []
        func decide(_ field: String, old: String?, new: String?, same: (String, String) -> Bool = (==)) -> String? {
            guard let new, !new.isEmpty else { return old }
            if let old, !old.isEmpty {
                if same(old, new) || policy.onExisting == .fillEmpty || draft.filledFields.contains(field) { return old }
            }
            changes.append(FieldChange(field: field, old: old, new: new))
            return new
        }
        let firstName = decide("FirstName", old: existing.firstName, new: draft.firstName)
        let lastName = decide("LastName", old: existing.lastName, new: draft.lastName)
        let phone = decide("PhoneNumber", old: existing.phoneNumber, new: draft.phone?.e164)
        let email = decide("Email", old: existing.email, new: draft.email) { $0.lowercased() == $1.lowercased() }
        let current = Dictionary(existing.properties.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        var properties: [PropertyValueInput] = []
        for (name, value) in draft.properties.sorted(by: { $0.key < $1.key }) {
            let before = changes.count
            _ = decide("property:\(name)", old: current[name], new: value)
            if changes.count > before { properties.append(PropertyValueInput(name: name, value: value)) }
        }
        if let unflag, draft.properties[MissingPolicy.property] == nil { changes.append(unflag) }
        guard !changes.isEmpty else { return .unchanged(contactID: existing.id, key: key) }
        // Update Contact replaces standard fields, so every field to keep is sent; properties not listed stay.
        let input = ContactInput(
            firstName: firstName, lastName: lastName, phoneNumber: phone, email: email,
            properties: properties.isEmpty ? nil : properties)
        return .update(contactID: existing.id, key: key, changes: changes, input: input)
    }
}
