import Foundation

/// Reads a ``ContactDto`` (Update Contact's answer) or a page of them (Search Contacts') from the JSON an API
/// answers with, straight from the bytes: Update Contact is most of an import's calls, and `JSONDecoder` was
/// about a tenth of the CPU of each; a search's page holds up to a hundred contacts.
///
/// It reads the plain forms only and returns nil for anything else (a number or a nested value in a field
/// it does not know, an escape it does not read, a duplicate key, a field of the wrong type, bytes after the
/// object), so that `JSONDecoder` then decides, error message and all: where this reads a contact, it is
/// the one `JSONDecoder` reads (a test compares them on thousands of random answers).
enum ContactDtoJSON {
    /// The contact in `bytes`, or nil when `JSONDecoder` must read them.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> ContactDto? {
        JSONByteReader.whole(bytes) { $0.contact() }
    }

    /// The page of contacts in `bytes` (Search Contacts' answer), or nil when `JSONDecoder` must read them.
    static func decodeList(_ bytes: UnsafeRawBufferPointer) -> ContactListResult? {
        JSONByteReader.whole(bytes) { $0.list() }
    }
}

extension JSONByteReader {
    mutating func contact() -> ContactDto? {
        var id: String?, firstName: String??, lastName: String??, phoneNumber: String??, email: String??
        var properties: [Components.Schemas.ContactPropertyValueDto]?, creationTime: Date?, lastModificationTime: Date??
        let complete = object { reader, key in
            switch key {
            case "Id": return Self.once(&id, reader.string())
            case "FirstName": return Self.once(&firstName, reader.optionalString())
            case "LastName": return Self.once(&lastName, reader.optionalString())
            case "PhoneNumber": return Self.once(&phoneNumber, reader.optionalString())
            case "Email": return Self.once(&email, reader.optionalString())
            case "Properties": return Self.once(&properties, reader.propertyValues())
            case "CreationTime": return Self.once(&creationTime, reader.string().flatMap(Self.date))
            case "LastModificationTime": return Self.once(&lastModificationTime, reader.optionalDate())
            default: return reader.skipValue()
            }
        }
        guard complete, let id, let properties, let creationTime else { return nil }
        return ContactDto(
            id: id, firstName: firstName ?? nil, lastName: lastName ?? nil, phoneNumber: phoneNumber ?? nil,
            email: email ?? nil, properties: properties, creationTime: creationTime,
            lastModificationTime: lastModificationTime ?? nil)
    }

    mutating func list() -> ContactListResult? {
        var totalCount: Int64?, items: [ContactDto]?
        let complete = object { reader, key in
            switch key {
            case "TotalCount": return Self.once(&totalCount, reader.integer())
            case "Items": return Self.once(&items, reader.contacts())
            default: return reader.skipValue()
            }
        }
        guard complete, let totalCount, let items else { return nil }
        return ContactListResult(totalCount: totalCount, items: items)
    }

    mutating func contacts() -> [ContactDto]? { array { $0.contact() } }

    /// A time, or `.some(nil)` for `null`; nil for anything else.
    mutating func optionalDate() -> Date?? { optional { $0.string().flatMap(Self.date) } }

    /// A time as the client's transcoder reads it; nil for text it refuses.
    private static func date(_ text: String) -> Date? {
        try? FlexibleISO8601Transcoder().decode(text)
    }

    mutating func propertyValues() -> [Components.Schemas.ContactPropertyValueDto]? {
        array { reader in
            var propertyID: String?, name: String?, value: String?
            let complete = reader.object { reader, key in
                switch key {
                case "PropertyId": return Self.once(&propertyID, reader.string())
                case "Name": return Self.once(&name, reader.string())
                case "Value": return Self.once(&value, reader.string())
                default: return reader.skipValue()
                }
            }
            guard complete, let propertyID, let name, let value else { return nil }
            return Components.Schemas.ContactPropertyValueDto(propertyId: propertyID, name: name, value: value)
        }
    }
}
