import Foundation
import HatifAPI
import OrderedCollections

/// The sandbox workspace: contact properties, contacts and their history, in memory.
///
/// Validates like the contract says and, like the real API, does not deduplicate.
actor SandboxStore {
    typealias Schemas = Components.Schemas

    static let maxPageSize = 1000
    static let maxFieldLength = 256

    private var properties: OrderedDictionary<String, StoredProperty> = [:]
    private var propertyIDsByName: [String: String] = [:]
    private var contacts: OrderedDictionary<String, StoredContact> = [:]
    private var contactIDsByPhone: [String: [String]] = [:]
    private var contactIDsByEmail: [String: [String]] = [:]
    private var history: [String: [Schemas.ContactHistoryEntryDto]] = [:]
    private var nextSequence = 0
    private var lastTime = Date(timeIntervalSince1970: 0)

    /// Grows with every change; persistence saves when it moved.
    private(set) var revision = 0

    // MARK: Time and ids

    /// A time after every time handed out so far, in whole milliseconds, so creation order is total.
    private func nextTime() -> Date {
        let now = (Date().timeIntervalSince1970 * 1000).rounded(.down) / 1000
        let next = max(now, lastTime.timeIntervalSince1970 + 0.001)
        lastTime = Date(timeIntervalSince1970: (next * 1000).rounded() / 1000)
        return lastTime
    }

    private func changed() { revision += 1 }

    // MARK: Properties

    func listProperties(skip: Int32?, max: Int32?) throws -> Schemas.ContactPropertyListResult {
        let range = try Self.page(skip: skip, max: max, count: properties.count)
        return .init(totalCount: Int64(properties.count), items: properties.values.elements[range].map(\.dto))
    }

    func createProperty(_ input: Schemas.CreateContactPropertyInput) throws -> ContactPropertyDto {
        guard PropertyValueValidator.isPropertyName(input.name) else {
            throw SandboxError.validation(
                "ContactProperty.InvalidName", "Name must match ^[a-z][a-z0-9_]{0,63}$.", members: ["Name"])
        }
        guard propertyIDsByName[input.name.lowercased()] == nil else {
            throw SandboxError(
                status: .conflict, code: "ContactProperty.DuplicateName",
                message: "A property named \(input.name) exists already.", members: ["Name"])
        }
        let options = try Self.checkedOptions(input.options ?? [], type: input._type)
        try Self.checkDisplayName(input.displayName)
        let property = StoredProperty(
            id: UUID().uuidString.lowercased(), name: input.name, displayName: input.displayName, type: input._type,
            options: options, isSystem: false, creationTime: nextTime())
        insert(property)
        changed()
        return property.dto
    }

    func updateProperty(id: String, _ input: Schemas.UpdateContactPropertyInput) throws -> ContactPropertyDto {
        guard var property = properties[id] else { throw SandboxError.notFound("ContactProperty", id: id) }
        try Self.checkDisplayName(input.displayName)
        property.displayName = input.displayName
        if let options = input.options {
            property.options = try Self.checkedOptions(options, type: property.type)
        }
        properties[id] = property
        changed()
        return property.dto
    }

    func deleteProperty(id: String) throws {
        guard let property = properties.removeValue(forKey: id) else {
            throw SandboxError.notFound("ContactProperty", id: id)
        }
        propertyIDsByName[property.name.lowercased()] = nil
        for index in contacts.values.indices where contacts.values[index].values[id] != nil {
            contacts.values[index].values[id] = nil
        }
        changed()
    }

    func statistics() -> Schemas.ContactPropertyStatisticsResult {
        var counts: [String: Int64] = [:]
        for contact in contacts.values {
            for propertyID in contact.values.keys { counts[propertyID, default: 0] += 1 }
        }
        return .init(
            items: properties.values.map {
                .init(propertyId: $0.id, name: $0.name, contactsWithValue: counts[$0.id] ?? 0)
            })
    }

    private func insert(_ property: StoredProperty) {
        properties[property.id] = property
        propertyIDsByName[property.name.lowercased()] = property.id
    }

    private static func checkDisplayName(_ name: String) throws {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 128 else {
            throw SandboxError.validation(
                "ContactProperty.InvalidDisplayName", "DisplayName must have 1 to 128 characters.",
                members: ["DisplayName"])
        }
    }

    private static func checkedOptions(_ options: [String], type: ContactPropertyType) throws -> [String] {
        let isSelect = type == .singleSelect || type == .multiSelect
        if !isSelect {
            guard options.isEmpty else {
                throw SandboxError.validation(
                    "ContactProperty.OptionsNotAllowed", "Only SingleSelect and MultiSelect take Options.",
                    members: ["Options"])
            }
            return []
        }
        let cleaned = options.map { $0.trimmingCharacters(in: .whitespaces) }
        guard !cleaned.isEmpty, !cleaned.contains(where: { $0.isEmpty || $0.contains(";") }),
            Set(cleaned.map { $0.lowercased() }).count == cleaned.count
        else {
            throw SandboxError.validation(
                "ContactProperty.InvalidOptions",
                "A select property needs distinct, non-empty Options without ';'.", members: ["Options"])
        }
        return cleaned
    }

    // MARK: Contacts

    func getContacts(skip: Int32?, max: Int32?) throws -> ContactListResult {
        let range = try Self.page(skip: skip, max: max, count: contacts.count)
        return .init(totalCount: Int64(contacts.count), items: contacts.values.elements[range].map(dto))
    }

    func getContact(id: String) throws -> ContactDto {
        guard let contact = contacts[id] else { throw SandboxError.notFound("Contact", id: id) }
        return dto(contact)
    }

    func createContact(_ input: ContactInput) throws -> ContactDto {
        let fields = try validatedFields(input)
        let values = try validatedValues(input.properties ?? [])
        let time = nextTime()
        let contact = StoredContact(
            id: UUID().uuidString.lowercased(), sequence: nextSequence, firstName: fields.firstName,
            lastName: fields.lastName, phoneNumber: fields.phoneNumber, email: fields.email, values: values,
            creationTime: time, lastModificationTime: nil)
        nextSequence += 1
        insert(contact)
        var changes = contact.standardFields.compactMap { name, value in
            value.map { Schemas.ContactHistoryChange(field: name, oldValue: nil, newValue: $0) }
        }
        changes += values.sorted { $0.key < $1.key }.map { id, value in
            .init(field: "property:\(properties[id]?.name ?? id)", oldValue: nil, newValue: value)
        }
        record(contact.id, .created, changes, time)
        changed()
        return dto(contact)
    }

    func updateContact(id: String, _ input: ContactInput) throws -> ContactDto {
        guard var contact = contacts[id] else { throw SandboxError.notFound("Contact", id: id) }
        let fields = try validatedFields(input)
        let values = try validatedValues(input.properties ?? [])
        let before = contact
        contact.firstName = fields.firstName
        contact.lastName = fields.lastName
        contact.phoneNumber = fields.phoneNumber
        contact.email = fields.email
        contact.values.merge(values) { _, new in new }
        var changes = zip(before.standardFields, contact.standardFields).compactMap { old, new in
            old.1 == new.1 ? nil : Schemas.ContactHistoryChange(field: old.0, oldValue: old.1, newValue: new.1)
        }
        for (propertyID, value) in values.sorted(by: { $0.key < $1.key }) where before.values[propertyID] != value {
            changes.append(
                .init(
                    field: "property:\(properties[propertyID]?.name ?? propertyID)",
                    oldValue: before.values[propertyID], newValue: value))
        }
        guard !changes.isEmpty else { return dto(contact) }
        let time = nextTime()
        contact.lastModificationTime = time
        unindex(before)
        insert(contact)
        record(id, .updated, changes, time)
        changed()
        return dto(contact)
    }

    func deleteContact(id: String) throws {
        guard let contact = contacts.removeValue(forKey: id) else { throw SandboxError.notFound("Contact", id: id) }
        unindex(contact)
        history[id] = nil
        changed()
    }

    func setPropertyValue(contactID: String, propertyID: String, value: String) throws -> ContactDto {
        guard var contact = contacts[contactID] else { throw SandboxError.notFound("Contact", id: contactID) }
        guard let property = properties[propertyID] else {
            throw SandboxError.notFound("ContactProperty", id: propertyID)
        }
        let canonical = try Self.canonicalValue(value, for: property)
        let old = contact.values[propertyID]
        guard old != canonical else { return dto(contact) }
        let time = nextTime()
        contact.values[propertyID] = canonical
        contact.lastModificationTime = time
        contacts[contactID] = contact
        record(contactID, .propertySet, [.init(field: "property:\(property.name)", oldValue: old, newValue: canonical)], time)
        changed()
        return dto(contact)
    }

    func deletePropertyValue(contactID: String, propertyID: String) throws {
        guard var contact = contacts[contactID] else { throw SandboxError.notFound("Contact", id: contactID) }
        guard let property = properties[propertyID] else {
            throw SandboxError.notFound("ContactProperty", id: propertyID)
        }
        guard let old = contact.values.removeValue(forKey: propertyID) else { return }
        let time = nextTime()
        contact.lastModificationTime = time
        contacts[contactID] = contact
        record(contactID, .propertyDeleted, [.init(field: "property:\(property.name)", oldValue: old, newValue: nil)], time)
        changed()
    }

    func history(contactID: String, skip: Int32?, max: Int32?) throws -> ContactHistoryListResult {
        guard contacts[contactID] != nil else { throw SandboxError.notFound("Contact", id: contactID) }
        let entries = history[contactID] ?? []
        let range = try Self.page(skip: skip, max: max, count: entries.count)
        return .init(totalCount: Int64(entries.count), items: Array(entries[range]))
    }

    /// Creates each card's contact on its own; a card that fails validation is reported, not fatal.
    func createBulk(_ cards: [Result<ContactInput, SandboxError>]) -> BulkVCardsResult {
        var items: [Schemas.BulkVCardItem] = []
        items.reserveCapacity(cards.count)
        for (index, card) in cards.enumerated() {
            do {
                let contact = try createContact(card.get())
                items.append(.init(index: Int32(index), status: .created, contactId: contact.id))
            } catch let error as SandboxError {
                items.append(.init(index: Int32(index), status: .failed, error: error.info))
            } catch {
                items.append(
                    .init(index: Int32(index), status: .failed, error: .init(code: "Contact.Invalid", message: "\(error)")))
            }
        }
        let created = items.filter { $0.status == .created }.count
        return .init(
            totalCount: Int32(items.count), createdCount: Int32(created), failedCount: Int32(items.count - created),
            items: items)
    }

    // MARK: Search

    func search(_ input: SearchContactsInput) throws -> ContactListResult {
        let groups = try ContactSearch(input: input, propertyIDsByName: propertyIDsByName)
        var matches: [StoredContact]
        if let candidateIDs = groups.candidateIDs(phoneIndex: contactIDsByPhone, emailIndex: contactIDsByEmail) {
            matches = candidateIDs.compactMap { contacts[$0] }.filter(groups.matches)
            matches.sort { $0.sequence < $1.sequence }
        } else {
            matches = contacts.values.filter(groups.matches)
        }
        let range = try Self.page(skip: input.skipCount, max: input.maxResultCount, count: matches.count)
        return .init(totalCount: Int64(matches.count), items: matches[range].map(dto))
    }

    func searchText(_ input: Schemas.TextSearchInput) throws -> ContactListResult {
        let keyword = input.keyword.trimmingCharacters(in: .whitespaces).lowercased()
        let matches = contacts.values.filter { contact in
            keyword.isEmpty
                || [contact.firstName, contact.lastName, contact.phoneNumber, contact.email].contains {
                    $0?.lowercased().contains(keyword) ?? false
                }
        }
        let range = try Self.page(skip: input.skipCount, max: input.maxResultCount, count: matches.count)
        return .init(totalCount: Int64(matches.count), items: matches[range].map(dto))
    }

    // MARK: Snapshot

    func snapshot() -> SandboxSnapshot {
        SandboxSnapshot(properties: properties.values.map(\.dto), contacts: contacts.values.map(dto))
    }

    func reset() {
        properties = [:]
        propertyIDsByName = [:]
        contacts = [:]
        contactIDsByPhone = [:]
        contactIDsByEmail = [:]
        history = [:]
        changed()
    }

    /// Adds the snapshot's properties and contacts (keeping their ids and times) to the workspace.
    func load(_ snapshot: SandboxSnapshot) throws {
        for dto in snapshot.properties {
            guard propertyIDsByName[dto.name.lowercased()] == nil, properties[dto.id] == nil else {
                throw SandboxError(
                    status: .conflict, code: "ContactProperty.DuplicateName",
                    message: "The workspace already has property \(dto.name).")
            }
            _ = try Self.checkedOptions(dto.options, type: dto._type)
            insert(StoredProperty(dto: dto))
            lastTime = max(lastTime, dto.creationTime)
        }
        for dto in snapshot.contacts.sorted(by: { ($0.creationTime, $0.id) < ($1.creationTime, $1.id) }) {
            guard contacts[dto.id] == nil else {
                throw SandboxError.validation("Contact.DuplicateId", "Contact \(dto.id) exists already.")
            }
            let input = ContactInput(
                firstName: dto.firstName, lastName: dto.lastName, phoneNumber: dto.phoneNumber, email: dto.email,
                properties: dto.properties.map { .init(name: $0.name, value: $0.value) })
            let fields = try validatedFields(input)
            let values = try validatedValues(input.properties ?? [])
            insert(
                StoredContact(
                    id: dto.id, sequence: nextSequence, firstName: fields.firstName, lastName: fields.lastName,
                    phoneNumber: fields.phoneNumber, email: fields.email, values: values,
                    creationTime: dto.creationTime, lastModificationTime: dto.lastModificationTime))
            nextSequence += 1
            lastTime = max(lastTime, dto.creationTime)
        }
        changed()
    }

    // MARK: Helpers

    private func insert(_ contact: StoredContact) {
        contacts[contact.id] = contact
        if let phone = contact.phoneNumber { contactIDsByPhone[phone, default: []].append(contact.id) }
        if let email = contact.email?.lowercased() { contactIDsByEmail[email, default: []].append(contact.id) }
    }

    private func unindex(_ contact: StoredContact) {
        if let phone = contact.phoneNumber {
            contactIDsByPhone[phone]?.removeAll { $0 == contact.id }
            if contactIDsByPhone[phone]?.isEmpty == true { contactIDsByPhone[phone] = nil }
        }
        if let email = contact.email?.lowercased() {
            contactIDsByEmail[email]?.removeAll { $0 == contact.id }
            if contactIDsByEmail[email]?.isEmpty == true { contactIDsByEmail[email] = nil }
        }
    }

    private func record(
        _ contactID: String, _ action: Schemas.ContactHistoryAction, _ changes: [Schemas.ContactHistoryChange],
        _ time: Date
    ) {
        history[contactID, default: []].append(
            .init(id: UUID().uuidString.lowercased(), contactId: contactID, action: action, changes: changes, time: time))
    }

    private func dto(_ contact: StoredContact) -> ContactDto {
        let values = contact.values.compactMap { id, value -> (StoredProperty, String)? in
            properties[id].map { ($0, value) }
        }.sorted { $0.0.creationTime < $1.0.creationTime }
        return ContactDto(
            id: contact.id, firstName: contact.firstName, lastName: contact.lastName,
            phoneNumber: contact.phoneNumber, email: contact.email,
            properties: values.map { .init(propertyId: $0.0.id, name: $0.0.name, value: $0.1) },
            creationTime: contact.creationTime, lastModificationTime: contact.lastModificationTime)
    }

    private struct Fields {
        var firstName, lastName, phoneNumber, email: String?
    }

    /// The standard fields, trimmed (empty is absent), or the first validation error.
    private func validatedFields(_ input: ContactInput) throws -> Fields {
        func clean(_ value: String?, _ member: String) throws -> String? {
            guard let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
            guard value.count <= Self.maxFieldLength else {
                throw SandboxError.validation(
                    "Contact.FieldTooLong", "\(member) is longer than \(Self.maxFieldLength) characters.",
                    members: [member])
            }
            return value
        }
        let fields = Fields(
            firstName: try clean(input.firstName, "FirstName"), lastName: try clean(input.lastName, "LastName"),
            phoneNumber: try clean(input.phoneNumber, "PhoneNumber"), email: try clean(input.email, "Email"))
        if let phone = fields.phoneNumber, !PropertyValueValidator.isE164(phone) {
            throw SandboxError.validation(
                "Contact.InvalidPhone", "Phone number is not valid.", members: ["PhoneNumber"],
                details: "Expected E.164 such as +966500111222, got \(phone).")
        }
        if let email = fields.email, !PropertyValueValidator.isEmail(email) {
            throw SandboxError.validation("Contact.InvalidEmail", "Email is not valid.", members: ["Email"])
        }
        guard fields.phoneNumber != nil || fields.email != nil else {
            throw SandboxError.validation(
                "Contact.PhoneOrEmailRequired", "At least one of PhoneNumber and Email is required.",
                members: ["PhoneNumber", "Email"])
        }
        return fields
    }

    /// Property values by property id, canonical, or the first validation error.
    private func validatedValues(_ inputs: [PropertyValueInput]) throws -> [String: String] {
        var values: [String: String] = [:]
        for input in inputs {
            guard let id = propertyIDsByName[input.name.lowercased()], let property = properties[id] else {
                throw SandboxError.validation(
                    "ContactProperty.NotFound", "There is no property named \(input.name).",
                    members: ["Properties[\(input.name)]"])
            }
            values[id] = try Self.canonicalValue(input.value, for: property)
        }
        return values
    }

    private static func canonicalValue(_ value: String, for property: StoredProperty) throws -> String {
        guard let canonical = PropertyValueValidator.canonical(value, type: property.type, options: property.options)
        else {
            throw SandboxError.validation(
                "ContactProperty.InvalidValue",
                "Value \"\(value.prefix(100))\" does not fit property \(property.name): expected "
                    + PropertyValueValidator.expectation(for: property.type, options: property.options) + ".",
                members: ["Properties[\(property.name)]"])
        }
        return canonical
    }

    /// The index range of one page, or a 400 for an out-of-range page size.
    static func page(skip: Int32?, max: Int32?, count: Int) throws -> Range<Int> {
        let skip = Int(skip ?? 0)
        let size = Int(max ?? 10)
        guard skip >= 0 else {
            throw SandboxError.validation("Paging.InvalidSkipCount", "SkipCount must be 0 or more.", members: ["SkipCount"])
        }
        guard (1...maxPageSize).contains(size) else {
            throw SandboxError.validation(
                "Paging.InvalidMaxResultCount", "MaxResultCount must be between 1 and \(maxPageSize).",
                members: ["MaxResultCount"])
        }
        let start = Swift.min(skip, count)
        return start..<Swift.min(count, start + size)
    }
}
