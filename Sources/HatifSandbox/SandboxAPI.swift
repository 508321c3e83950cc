import Foundation
import HatifAPI
import OpenAPIRuntime

/// The contract's operations, answered from the in-memory store.
///
/// Handlers return only success answers; every failure is thrown as a ``SandboxError`` and turned into
/// the contract's error body by ``ErrorMappingMiddleware``.
struct SandboxAPI: APIProtocol {
    let store: SandboxStore
    let tokens: SandboxTokenIssuer

    func requestToken(_ input: Operations.RequestToken.Input) async throws -> Operations.RequestToken.Output {
        guard case .urlEncodedForm(let form) = input.body else { throw SandboxError.validation("Token.InvalidRequest", "Form body expected.") }
        switch await tokens.issue(form) {
        case .issued(let token): return .ok(.init(body: .json(token)))
        case .refused(let error): return .badRequest(.init(body: .json(error)))
        }
    }

    func listContactProperties(_ input: Operations.ListContactProperties.Input) async throws -> Operations.ListContactProperties.Output {
        .ok(.init(body: .json(try await store.listProperties(skip: input.query.skipCount, max: input.query.maxResultCount))))
    }

    func createContactProperty(_ input: Operations.CreateContactProperty.Input) async throws -> Operations.CreateContactProperty.Output {
        guard case .json(let body) = input.body else { throw SandboxError.validation("Request.Invalid", "JSON body expected.") }
        return .created(.init(body: .json(try await store.createProperty(body))))
    }

    func getContactPropertiesStatistics(_ input: Operations.GetContactPropertiesStatistics.Input) async throws -> Operations.GetContactPropertiesStatistics.Output {
        .ok(.init(body: .json(await store.statistics())))
    }

    func updateContactProperty(_ input: Operations.UpdateContactProperty.Input) async throws -> Operations.UpdateContactProperty.Output {
        guard case .json(let body) = input.body else { throw SandboxError.validation("Request.Invalid", "JSON body expected.") }
        return .ok(.init(body: .json(try await store.updateProperty(id: input.path.propertyId, body))))
    }

    func deleteContactProperty(_ input: Operations.DeleteContactProperty.Input) async throws -> Operations.DeleteContactProperty.Output {
        try await store.deleteProperty(id: input.path.propertyId)
        return .noContent(.init())
    }

    func getContacts(_ input: Operations.GetContacts.Input) async throws -> Operations.GetContacts.Output {
        .ok(.init(body: .json(try await store.getContacts(skip: input.query.skipCount, max: input.query.maxResultCount))))
    }

    func createContact(_ input: Operations.CreateContact.Input) async throws -> Operations.CreateContact.Output {
        guard case .json(let body) = input.body else { throw SandboxError.validation("Request.Invalid", "JSON body expected.") }
        return .created(.init(body: .json(try await store.createContact(body))))
    }

    func searchContacts(_ input: Operations.SearchContacts.Input) async throws -> Operations.SearchContacts.Output {
        guard case .json(let body) = input.body else { throw SandboxError.validation("Request.Invalid", "JSON body expected.") }
        return .ok(.init(body: .json(try await store.search(body))))
    }

    func searchContactsText(_ input: Operations.SearchContactsText.Input) async throws -> Operations.SearchContactsText.Output {
        guard case .json(let body) = input.body else { throw SandboxError.validation("Request.Invalid", "JSON body expected.") }
        return .ok(.init(body: .json(try await store.searchText(body))))
    }

    func createBulkContactsVCards(_ input: Operations.CreateBulkContactsVCards.Input) async throws -> Operations.CreateBulkContactsVCards.Output {
        guard case .multipartForm(let parts) = input.body else {
            throw SandboxError.validation("BulkVCards.NotMultipart", "A multipart/form-data body is expected.")
        }
        var file: [UInt8]?
        for try await part in parts {
            guard case .file(let filePart) = part else { continue }
            guard file == nil else {
                throw SandboxError.validation("BulkVCards.TooManyFiles", "Send one File part.", members: ["File"])
            }
            guard let name = filePart.filename, name.lowercased().hasSuffix(".vcf") else {
                throw SandboxError.validation("BulkVCards.InvalidFile", "The File part needs a filename ending .vcf.", members: ["File"])
            }
            do {
                file = Array(try await ArraySlice<UInt8>(collecting: filePart.payload.body, upTo: SandboxVCardParser.maxBytes))
            } catch {
                throw SandboxError(status: .contentTooLarge, code: "BulkVCards.TooLarge", message: "The file is larger than 5 MiB.")
            }
        }
        guard let file else { throw SandboxError.validation("BulkVCards.Empty", "The body has no File part.", members: ["File"]) }
        let cards = try SandboxVCardParser.parse(file)
        return .ok(.init(body: .json(await store.createBulk(cards))))
    }

    func getContactById(_ input: Operations.GetContactById.Input) async throws -> Operations.GetContactById.Output {
        .ok(.init(body: .json(try await store.getContact(id: input.path.contactId))))
    }

    func updateContact(_ input: Operations.UpdateContact.Input) async throws -> Operations.UpdateContact.Output {
        guard case .json(let body) = input.body else { throw SandboxError.validation("Request.Invalid", "JSON body expected.") }
        return .ok(.init(body: .json(try await store.updateContact(id: input.path.contactId, body))))
    }

    func deleteContact(_ input: Operations.DeleteContact.Input) async throws -> Operations.DeleteContact.Output {
        try await store.deleteContact(id: input.path.contactId)
        return .noContent(.init())
    }

    func setContactPropertyValue(_ input: Operations.SetContactPropertyValue.Input) async throws -> Operations.SetContactPropertyValue.Output {
        guard case .json(let body) = input.body else { throw SandboxError.validation("Request.Invalid", "JSON body expected.") }
        let contact = try await store.setPropertyValue(
            contactID: input.path.contactId, propertyID: input.path.propertyId, value: body.value)
        return .ok(.init(body: .json(contact)))
    }

    func deleteContactPropertyValue(_ input: Operations.DeleteContactPropertyValue.Input) async throws -> Operations.DeleteContactPropertyValue.Output {
        try await store.deletePropertyValue(contactID: input.path.contactId, propertyID: input.path.propertyId)
        return .noContent(.init())
    }

    func getContactHistory(_ input: Operations.GetContactHistory.Input) async throws -> Operations.GetContactHistory.Output {
        let page = try await store.history(
            contactID: input.path.contactId, skip: input.query.skipCount, max: input.query.maxResultCount)
        return .ok(.init(body: .json(page)))
    }
}
