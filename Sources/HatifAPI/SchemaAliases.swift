// Short names for the generated schema types that callers use most.

/// A contact as the API returns it.
public typealias ContactDto = Components.Schemas.ContactDto
/// The body of Create Contact and Update Contact.
public typealias ContactInput = Components.Schemas.ContactInput
/// A property value in a contact body.
public typealias PropertyValueInput = Components.Schemas.PropertyValueInput
/// A custom contact field.
public typealias ContactPropertyDto = Components.Schemas.ContactPropertyDto
/// The type of a contact property.
public typealias ContactPropertyType = Components.Schemas.ContactPropertyType
/// The body of Create Contact Property.
public typealias CreateContactPropertyInput = Components.Schemas.CreateContactPropertyInput
/// The body of Update Contact Property.
public typealias UpdateContactPropertyInput = Components.Schemas.UpdateContactPropertyInput
/// The body of Search Contacts [Complex].
public typealias SearchContactsInput = Components.Schemas.SearchContactsInput
/// One OR-joined group of AND-joined filters.
public typealias SearchFilterGroup = Components.Schemas.SearchFilterGroup
/// One search filter.
public typealias SearchFilter = Components.Schemas.SearchFilter
/// The result of Create Bulk Contacts vCards.
public typealias BulkVCardsResult = Components.Schemas.BulkVCardsResult
/// One page of contacts.
public typealias ContactListResult = Components.Schemas.ContactListResult
/// One page of a contact's history.
public typealias ContactHistoryListResult = Components.Schemas.ContactHistoryListResult
