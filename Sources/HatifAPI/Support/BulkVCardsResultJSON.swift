import Foundation

/// Reads Create Bulk Contacts vCards' answer (a result per card, up to 500) from its bytes, as
/// ``ContactDtoJSON`` reads a contact: `JSONDecoder` took 1.9% of an import's CPU on these answers alone.
/// Where this returns nil, `JSONDecoder` reads them; where it reads one, it is the one `JSONDecoder` reads (a
/// test compares them on thousands of random answers).
enum BulkVCardsResultJSON {
    /// The result in `bytes`, or nil when `JSONDecoder` must read them.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> BulkVCardsResult? {
        JSONByteReader.whole(bytes) { $0.bulkVCardsResult() }
    }
}

extension JSONByteReader {
    mutating func bulkVCardsResult() -> BulkVCardsResult? {
        var total: Int32?, created: Int32?, failed: Int32?, items: [Components.Schemas.BulkVCardItem]?
        let complete = object { reader, key in
            switch key {
            case "TotalCount": return Self.once(&total, reader.int32())
            case "CreatedCount": return Self.once(&created, reader.int32())
            case "FailedCount": return Self.once(&failed, reader.int32())
            case "Items": return Self.once(&items, reader.array { $0.bulkVCardItem() })
            default: return reader.skipValue()
            }
        }
        guard complete, let total, let created, let failed, let items else { return nil }
        return BulkVCardsResult(totalCount: total, createdCount: created, failedCount: failed, items: items)
    }

    private mutating func bulkVCardItem() -> Components.Schemas.BulkVCardItem? {
        var index: Int32?, status: Components.Schemas.BulkVCardStatus?, contactID: String??, error: Components.Schemas.ErrorInfo??
        let complete = object { reader, key in
            switch key {
            case "Index": return Self.once(&index, reader.int32())
            case "Status": return Self.once(&status, reader.string().flatMap(Components.Schemas.BulkVCardStatus.init(rawValue:)))
            case "ContactId": return Self.once(&contactID, reader.optionalString())
            case "Error": return Self.once(&error, reader.optional { $0.errorInfo() })
            default: return reader.skipValue()
            }
        }
        guard complete, let index, let status else { return nil }
        return Components.Schemas.BulkVCardItem(index: index, status: status, contactId: contactID ?? nil, error: error ?? nil)
    }

    private mutating func errorInfo() -> Components.Schemas.ErrorInfo? {
        var code: String?, message: String?, details: String??, validationErrors: [Components.Schemas.ValidationErrorInfo]??
        let complete = object { reader, key in
            switch key {
            case "code": return Self.once(&code, reader.string())
            case "message": return Self.once(&message, reader.string())
            case "details": return Self.once(&details, reader.optionalString())
            case "validationErrors": return Self.once(&validationErrors, reader.optional { $0.array { $0.validationErrorInfo() } })
            default: return reader.skipValue()
            }
        }
        guard complete, let code, let message else { return nil }
        return Components.Schemas.ErrorInfo(code: code, message: message, details: details ?? nil, validationErrors: validationErrors ?? nil)
    }

    private mutating func validationErrorInfo() -> Components.Schemas.ValidationErrorInfo? {
        var message: String?, members: [String]??
        let complete = object { reader, key in
            switch key {
            case "message": return Self.once(&message, reader.string())
            case "members": return Self.once(&members, reader.optional { $0.array { $0.string() } })
            default: return reader.skipValue()
            }
        }
        guard complete, let message else { return nil }
        return Components.Schemas.ValidationErrorInfo(message: message, members: members ?? nil)
    }
}
