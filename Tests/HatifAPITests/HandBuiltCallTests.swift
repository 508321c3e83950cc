import Foundation
import HTTPTypes
@testable import HatifAPI
import OpenAPIRuntime
import Synchronization
import Testing

@Suite("Calls built by hand")
struct HandBuiltCallTests {
    /// Records each request and answers as the API would: a token for the token call, else `answer`.
    final class RecordingTransport: ClientTransport, Sendable {
        let sent = Mutex<[(request: HTTPRequest, body: [UInt8])]>([])
        let answer: @Sendable () throws -> (HTTPResponse, HTTPBody?)

        init(answer: @escaping @Sendable () throws -> (HTTPResponse, HTTPBody?) = RecordingTransport.contact) {
            self.answer = answer
        }

        static func contact() -> (HTTPResponse, HTTPBody?) {
            let json = #"{"Id":"c-1","FirstName":"Ana","Properties":[{"PropertyId":"p","Name":"tier","Value":"gold"}],"CreationTime":"2026-03-17T12:00:00.250Z"}"#
            return (HTTPResponse(status: .ok, headerFields: [.contentType: "application/json; charset=utf-8"]), HTTPBody(json))
        }

        func send(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String) async throws -> (HTTPResponse, HTTPBody?) {
            var bytes: [UInt8] = []
            if let body { bytes = try await [UInt8](collecting: body, upTo: 1 << 20) }
            if operationID == OAuthTokenClient.operationID {
                let token = #"{"access_token":"t0k3n","token_type":"Bearer","expires_in":3600}"#
                return (HTTPResponse(status: .ok, headerFields: [.contentType: "application/json"]), HTTPBody(token))
            }
            sent.withLock { $0.append((request, bytes)) }
            return try answer()
        }
    }

    static let configuration = HatifClientConfiguration(
        apiURL: URL(string: "https://api.example.test/voxa")!,
        credentials: ClientCredentials(clientID: "crm", clientSecret: Secret("s3cret")), retry: .never)

    /// Text with what JSON and URLs must escape: quotes, backslashes, slashes, every control character,
    /// DEL, non-ASCII letters, a combining mark and an emoji.
    static func awkwardText(_ generator: inout some RandomNumberGenerator) -> String {
        let pieces = [
            "Ana", "\"", "\\", "/", " ", "%", "?", "#", "&", "+", "=", ":", "@", "é", "ü", "\u{301}", "😀", "مرحبا", "\u{7F}",
            "\u{2028}", "~", "-", "_", ".",
        ] + (0..<32).map { String(UnicodeScalar(UInt8($0))) }
        return (0..<Int.random(in: 0...8, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
    }

    static func randomInput(_ generator: inout some RandomNumberGenerator) -> ContactInput {
        func maybe() -> String? { Bool.random(using: &generator) ? awkwardText(&generator) : nil }
        let properties: [PropertyValueInput]? =
            Bool.random(using: &generator)
            ? (0..<Int.random(in: 0...3, using: &generator)).map { _ in
                PropertyValueInput(name: awkwardText(&generator), value: awkwardText(&generator))
            } : nil
        return ContactInput(firstName: maybe(), lastName: maybe(), phoneNumber: maybe(), email: maybe(), properties: properties)
    }

    @Test("Update Contact built by hand sends the generated client's method, path, headers and body bytes")
    func updateContactMatchesTheGeneratedClient() async throws {
        let recording = RecordingTransport()
        let client = HatifClient(configuration: Self.configuration, transport: recording)
        let generated = Client(serverURL: Self.configuration.apiURL, configuration: .hatif, transport: recording)
        var generator = SystemRandomNumberGenerator()
        for round in 0..<500 {
            let id = round % 3 == 0 ? UUID().uuidString.lowercased() : Self.awkwardText(&generator)
            let input = Self.randomInput(&generator)
            _ = try await client.updateContact(id: id, input)
            _ = try await generated.updateContact(path: .init(contactId: id), body: .json(input)).ok.body.json
            let (byHand, expected) = try recording.sent.withLock { sent in
                let last = try #require(sent.suffix(2).first), generatedRequest = try #require(sent.last)
                return (last, generatedRequest)
            }
            #expect(byHand.request.method == expected.request.method)
            #expect(byHand.request.path == expected.request.path, "id \(id.debugDescription)")
            var headers = byHand.request.headerFields
            headers[.authorization] = nil
            #expect(headers == expected.request.headerFields)
            #expect(byHand.body == expected.body, "\(String(decoding: byHand.body, as: UTF8.self)) against \(String(decoding: expected.body, as: UTF8.self))")
        }
        #expect(recording.sent.withLock { $0.count } == 1000)
    }

    @Test("Search Contacts built by hand sends the generated client's method, path, headers and body bytes, and reads its page")
    func searchContactsMatchesTheGeneratedClient() async throws {
        let page = #"{"TotalCount":2,"Items":[{"Id":"c-1","Properties":[],"CreationTime":"2026-03-17T12:00:00Z"},{"Id":"c-2","Email":"a@b.c","Properties":[],"CreationTime":"2026-03-17T12:00:01.5Z"}]}"#
        let recording = RecordingTransport {
            (HTTPResponse(status: .ok, headerFields: [.contentType: "application/json; charset=utf-8"]), HTTPBody(page))
        }
        let client = HatifClient(configuration: Self.configuration, transport: recording)
        let generated = Client(serverURL: Self.configuration.apiURL, configuration: .hatif, transport: recording)
        var generator = SystemRandomNumberGenerator()
        func maybe<T>(_ make: () -> T) -> T? { Bool.random(using: &generator) ? make() : nil }
        for _ in 0..<500 {
            let groups = (0..<Int.random(in: 1...3, using: &generator)).map { _ in
                Components.Schemas.SearchFilterGroup(filters: (0..<Int.random(in: 1...3, using: &generator)).map { _ in
                    Components.Schemas.SearchFilter(
                        field: Self.awkwardText(&generator), _operator: Components.Schemas.SearchOperator.allCases.randomElement(using: &generator)!,
                        value: maybe { Self.awkwardText(&generator) },
                        values: maybe { (0..<Int.random(in: 0...4, using: &generator)).map { _ in Self.awkwardText(&generator) } })
                })
            }
            let input = SearchContactsInput(
                filterGroups: groups, skipCount: maybe { Int32.random(in: 0...Int32.max, using: &generator) },
                maxResultCount: maybe { Int32.random(in: Int32.min...Int32.max, using: &generator) })
            let byHandPage = try await client.searchContacts(input)
            let generatedPage = try await generated.searchContacts(body: .json(input)).ok.body.json
            #expect(byHandPage == generatedPage)
            #expect(byHandPage.items.map(\.id) == ["c-1", "c-2"])
            let (byHand, expected) = try recording.sent.withLock { sent in
                (try #require(sent.suffix(2).first), try #require(sent.last))
            }
            #expect(byHand.request.method == expected.request.method)
            #expect(byHand.request.path == expected.request.path)
            var headers = byHand.request.headerFields
            headers[.authorization] = nil
            #expect(headers == expected.request.headerFields)
            #expect(byHand.body == expected.body, "\(String(decoding: byHand.body, as: UTF8.self)) against \(String(decoding: expected.body, as: UTF8.self))")
        }
    }

    @Test("Create Bulk built by hand sends the generated client's method, path, headers and multipart body, and reads its result")
    func createBulkMatchesTheGeneratedClient() async throws {
        let answer = #"{"TotalCount":2,"CreatedCount":1,"FailedCount":1,"Items":[{"Index":0,"Status":"Created","ContactId":"c-1"},{"Index":1,"Status":"Failed","Error":{"code":"Contact.InvalidPhone","message":"not E.164"}}]}"#
        let recording = RecordingTransport {
            (HTTPResponse(status: .ok, headerFields: [.contentType: "application/json; charset=utf-8"]), HTTPBody(answer))
        }
        let client = HatifClient(configuration: Self.configuration, transport: recording)
        let generated = Client(serverURL: Self.configuration.apiURL, configuration: .hatif, transport: recording)
        /// The request's multipart boundary (random per call), from its content type.
        func boundary(_ request: HTTPRequest) throws -> String {
            let contentType = try #require(request.headerFields[.contentType])
            return String(try #require(contentType.split(separator: "boundary=").last))
        }
        var generator = SystemRandomNumberGenerator()
        for round in 0..<50 {
            let cards = Array((0..<round * 3).map { _ in "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\(Self.awkwardText(&generator))\r\nEND:VCARD\r\n" }.joined().utf8)
            let filename = "batch-\(round).vcf"
            let byHandResult = try await client.createBulkContacts(vcards: cards, filename: filename)
            let part = OpenAPIRuntime.MultipartPart(
                payload: Operations.CreateBulkContactsVCards.Input.Body.MultipartFormPayload.FilePayload(body: HTTPBody(cards)), filename: filename)
            let generatedResult = try await generated.createBulkContactsVCards(body: .multipartForm([.file(part)])).ok.body.json
            #expect(byHandResult == generatedResult)
            #expect(byHandResult.items.map(\.contactId) == ["c-1", nil])
            let (byHand, expected) = try recording.sent.withLock { sent in
                (try #require(sent.suffix(2).first), try #require(sent.last))
            }
            #expect(byHand.request.method == expected.request.method)
            #expect(byHand.request.path == expected.request.path)
            let (ours, theirs) = (try boundary(byHand.request), try boundary(expected.request))
            var headers = byHand.request.headerFields
            headers[.authorization] = nil
            headers[.contentType] = headers[.contentType]?.replacingOccurrences(of: ours, with: theirs)
            #expect(headers == expected.request.headerFields)
            let body = String(decoding: byHand.body, as: UTF8.self).replacingOccurrences(of: ours, with: theirs)
            #expect(body == String(decoding: expected.body, as: UTF8.self))
            #expect(body.contains("filename=\"\(filename)\""))
        }
    }

    @Test("Update Contact built by hand reads the contact, dates included")
    func updateContactDecodesTheAnswer() async throws {
        let client = HatifClient(configuration: Self.configuration, transport: RecordingTransport())
        let contact = try await client.updateContact(id: "c-1", ContactInput(firstName: "Ana"))
        #expect(contact.id == "c-1")
        #expect(contact.properties.map(\.value) == ["gold"])
        #expect(contact.creationTime == Date(timeIntervalSince1970: 1_773_748_800.25))
    }

    @Test("an answer that is not the contract's is an invalid response naming the operation, the status and why")
    func unexpectedAnswersAreInvalidResponses() async throws {
        let answers: [(HTTPResponse, String, String)] = [
            (HTTPResponse(status: .ok, headerFields: [.contentType: "text/html"]), "<html>", "content type text/html"),
            (HTTPResponse(status: .ok, headerFields: [.contentType: "application/json"]), #"{"Id":1}"#, "Id"),
            (HTTPResponse(status: .accepted, headerFields: [.contentType: "application/json"]), "{}", "expected HTTP 200"),
        ]
        for (response, body, reason) in answers {
            let client = HatifClient(configuration: Self.configuration, transport: RecordingTransport { (response, HTTPBody(body)) })
            let error = await #expect(throws: HatifAPIError.self) { _ = try await client.updateContact(id: "c-1", ContactInput()) }
            guard case .invalidResponse(let operation, let status, let why, _)? = error else {
                Issue.record("expected an invalid response, got \(String(describing: error))")
                continue
            }
            #expect(operation == "updateContact")
            #expect(status == response.status.code)
            #expect(why.contains(reason), "\(why)")
        }
    }

    @Test("a JSON content type is recognised in any case and with parameters, and nothing else is")
    func contentTypes() {
        for json in ["application/json", "Application/JSON", "application/json; charset=utf-8", " application/json ;charset=UTF-8"] {
            #expect(HatifClient.isJSON(json), "\(json)")
        }
        for other in ["text/json", "application/jsonp", "application/json-patch+json", "application/xml", "", "application\u{0F}json"] {
            #expect(!HatifClient.isJSON(other), "\(other)")
        }
    }

    @Test("an error status through the hand-built call is the API's error, and a transport failure a transport error")
    func errorsMapLikeGeneratedCalls() async throws {
        struct Unreachable: Error, CustomStringConvertible { var description: String { "connection refused" } }
        let refusing = RecordingTransport {
            (HTTPResponse(status: .notFound, headerFields: [.contentType: "application/json"]),
             HTTPBody(#"{"error":{"code":"Contact.NotFound","message":"There is no contact c-9."}}"#))
        }
        let notFound = await #expect(throws: HatifAPIError.self) {
            _ = try await HatifClient(configuration: Self.configuration, transport: refusing).updateContact(id: "c-9", ContactInput())
        }
        guard case .response(let details)? = notFound else { Issue.record("expected .response"); return }
        #expect(details.status == 404)
        #expect(details.code == "Contact.NotFound")
        let failing = RecordingTransport { throw Unreachable() }
        let transport = await #expect(throws: HatifAPIError.self) {
            _ = try await HatifClient(configuration: Self.configuration, transport: failing).updateContact(id: "c-9", ContactInput())
        }
        guard case .transport(let operation, let reason)? = transport else { Issue.record("expected .transport"); return }
        #expect(operation == "updateContact")
        #expect(reason.contains("connection refused"))
    }
}
