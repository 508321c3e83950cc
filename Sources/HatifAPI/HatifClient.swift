import Foundation
import HTTPTypes
import Logging
@_spi(Generated) import OpenAPIRuntime

/// The Voxa API client: every operation of the contract as one async method that returns the success
/// body or throws ``HatifAPIError``.
///
/// Requests pass through, outermost first: error decoding, retries, the shared rate limit (when set),
/// authentication (token and one renewal on 401), logging, counting, then the transport.
public struct HatifClient: Sendable {
    /// The token cache this client uses.
    public let tokens: TokenProvider
    /// The shared request budget, when the configuration sets one.
    public let limiter: RateLimiter?
    /// The requests sent, by operation.
    public let requests: RequestCounter
    /// The workspace it writes into: the API URL and the client id (`https://api.example.com client crm-sync`).
    public let workspace: String
    /// Where the calls' async code should run: the event loop of the HTTP connections, when the client has
    /// one loop of its own; nil to leave it to the caller's executor. See ``onCallExecutor(_:)``.
    public let callExecutor: EventLoopTaskExecutor?
    private let client: Client
    /// The same middlewares and transport, for the calls built by hand.
    private let chain: MiddlewareChain
    private let decoder = JSONDecoder.hatif()
    /// The generated client's coding, for the request bodies of the calls built by hand.
    private let converter = Converter(configuration: .hatif)

    /// Creates a client over any OpenAPI transport (tests use this with a custom transport).
    public init(
        configuration: HatifClientConfiguration, transport: any ClientTransport,
        logger: Logger = Logger(label: "hatif.api"), callExecutor: EventLoopTaskExecutor? = nil
    ) {
        self.callExecutor = callExecutor
        let logging = LoggingMiddleware(logger: logger)
        let requests = RequestCounter()
        self.requests = requests
        let retry = RetryMiddleware(policy: configuration.retry, logger: logger, counter: requests)
        let tokenClient = OAuthTokenClient(
            tokenURL: configuration.tokenURL, credentials: configuration.credentials, transport: transport,
            middlewares: [RetryMiddleware(policy: configuration.retry, logger: logger), logging])
        let tokens = TokenProvider(logger: logger) { try await tokenClient.fetchToken() }
        self.tokens = tokens
        workspace = "\(configuration.apiURL.absoluteString) client \(configuration.credentials.clientID)"
        // Paced nearly evenly: a client that bursts can still trip a server limit it stays under on average.
        // A client on its own event loop paces on the loop's timer: about a third of a paced call's CPU went
        // to Task.sleep's timer thread waking the loop.
        let limiter = configuration.maxRequestsPerSecond.map { rate in
            let burst = RateLimiter.pacingBurst(rate: rate)
            return callExecutor.map { executor in RateLimiter(maxRate: rate, burst: burst) { try await executor.sleep(for: $0) } }
                ?? RateLimiter(maxRate: rate, burst: burst)
        }
        self.limiter = limiter
        var middlewares: [any ClientMiddleware] = [ErrorResponseMiddleware(), retry]
        if let limiter { middlewares.append(RateLimitMiddleware(limiter: limiter)) }
        middlewares += [AuthenticationMiddleware(tokens: tokens), logging, RequestCountingMiddleware(counter: requests)]
        self.client = Client(serverURL: configuration.apiURL, configuration: .hatif, transport: transport, middlewares: middlewares)
        self.chain = MiddlewareChain(serverURL: configuration.apiURL, transport: transport, middlewares: middlewares)
    }

    /// Creates a client that sends through `transport`; its calls run on the transport's event loop
    /// (``callExecutor``).
    public init(
        configuration: HatifClientConfiguration, transport: HatifHTTPTransport,
        logger: Logger = Logger(label: "hatif.api")
    ) {
        self.init(
            configuration: configuration, transport: transport as any ClientTransport, logger: logger,
            callExecutor: EventLoopTaskExecutor(transport.eventLoop))
    }

    /// Runs `body`, and the child tasks it starts, on ``callExecutor`` when there is one: for code that
    /// mostly waits on calls (a pool of requests in flight), never for CPU-bound work.
    public func onCallExecutor<T, Failure: Error>(
        isolation: isolated (any Actor)? = #isolation, _ body: () async throws(Failure) -> T
    ) async throws(Failure) -> T {
        try await withTaskExecutorPreference(callExecutor, isolation: isolation, operation: body)
    }

    // MARK: Contact properties

    /// One page of contact properties.
    public func listContactProperties(skip: Int = 0, max: Int = 1000) async throws -> Components.Schemas.ContactPropertyListResult {
        try await call(Operations.ListContactProperties.id) {
            try await client.listContactProperties(query: .init(skipCount: Int32(skip), maxResultCount: Int32(max))).ok.body.json
        }
    }

    /// Every contact property of the workspace, following pages.
    public func allContactProperties(pageSize: Int = 1000) async throws -> [ContactPropertyDto] {
        var all: [ContactPropertyDto] = []
        while true {
            let page = try await listContactProperties(skip: all.count, max: pageSize)
            all += page.items
            if page.items.isEmpty || all.count >= page.totalCount { return all }
        }
    }

    /// Creates a contact property.
    public func createContactProperty(_ input: CreateContactPropertyInput) async throws -> ContactPropertyDto {
        try await call(Operations.CreateContactProperty.id) {
            try await client.createContactProperty(body: .json(input)).created.body.json
        }
    }

    /// Changes a property's display name or options.
    public func updateContactProperty(id: String, _ input: UpdateContactPropertyInput) async throws -> ContactPropertyDto {
        try await call(Operations.UpdateContactProperty.id) {
            try await client.updateContactProperty(path: .init(propertyId: id), body: .json(input)).ok.body.json
        }
    }

    /// Deletes a property and its values on every contact.
    public func deleteContactProperty(id: String) async throws {
        try await call(Operations.DeleteContactProperty.id) {
            _ = try await client.deleteContactProperty(path: .init(propertyId: id)).noContent
        }
    }

    /// How many contacts hold a value of each property.
    public func contactPropertiesStatistics() async throws -> Components.Schemas.ContactPropertyStatisticsResult {
        try await call(Operations.GetContactPropertiesStatistics.id) {
            try await client.getContactPropertiesStatistics().ok.body.json
        }
    }

    // MARK: Contacts

    /// One page of contacts, ordered by CreationTime then Id.
    public func getContacts(skip: Int = 0, max: Int = 1000) async throws -> ContactListResult {
        try await call(Operations.GetContacts.id) {
            try await client.getContacts(query: .init(skipCount: Int32(skip), maxResultCount: Int32(max))).ok.body.json
        }
    }

    /// Pages through Get Contacts, handing each page to `body`; returns how many contacts were seen.
    @discardableResult
    public func forEachContactPage(
        pageSize: Int = 1000, _ body: ([ContactDto]) async throws -> Void
    ) async throws -> Int {
        var seen = 0
        while true {
            let page = try await getContacts(skip: seen, max: pageSize)
            if page.items.isEmpty { return seen }
            try await body(page.items)
            seen += page.items.count
            if seen >= page.totalCount { return seen }
        }
    }

    /// Creates one contact.
    public func createContact(_ input: ContactInput) async throws -> ContactDto {
        try await call(Operations.CreateContact.id) {
            try await client.createContact(body: .json(input)).created.body.json
        }
    }

    /// One contact by id.
    public func getContact(id: String) async throws -> ContactDto {
        try await call(Operations.GetContactById.id) {
            try await client.getContactById(path: .init(contactId: id)).ok.body.json
        }
    }

    /// Replaces a contact's standard fields and sets the listed properties.
    ///
    /// Built by hand rather than by the generated client: it is most of an import's calls, and the generated
    /// path (URI template rendering, content-type negotiation, `JSONEncoder`) cost about a tenth of the
    /// client's CPU per call. It sends the same bytes through the same middlewares and transport; a test
    /// compares the two.
    public func updateContact(id: String, _ input: ContactInput) async throws -> ContactDto {
        let operation = Operations.UpdateContact.id
        var request = HTTPRequest(method: .put, scheme: nil, authority: nil, path: "/v1/contacts/" + Self.pathSegment(id))
        request.headerFields.append(HTTPField(name: .accept, value: "application/json"))
        let (response, responseBody) = try await send(request, json: ContactInputJSON.encode(input), operation: operation)
        return try await decode(ContactDto.self, expecting: 200, from: response, responseBody, operation: operation, fast: ContactDtoJSON.decode)
    }

    /// Sends a hand-built request with a JSON body written by hand: the content type and length the generated
    /// client sets for a JSON body, in its order.
    private func send(_ request: HTTPRequest, json: [UInt8], operation: String) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields.append(HTTPField(name: .contentType, value: "application/json; charset=utf-8"))
        request.headerFields.append(HTTPField(name: .contentLength, value: String(json.count)))
        return try await send(request, body: HTTPBody(json), operation: operation)
    }

    /// Sends a hand-built request through ``chain``. The generated client wraps what a middleware or the
    /// transport throws in `ClientError` (a transport error); here it arrives bare, so the rest is a transport error.
    private func send(_ request: HTTPRequest, body: HTTPBody?, operation: String) async throws -> (HTTPResponse, HTTPBody?) {
        try await call(operation, otherwise: { .transport(operation: operation, reason: "\($0)") }) {
            try await chain.send(request, body: body, operationID: operation)
        }
    }

    /// `value` as one path segment: every byte but the URI's unreserved characters percent-encoded, as the
    /// generated client renders a path parameter (ids are mostly GUIDs, which need none).
    static func pathSegment(_ value: String) -> String {
        guard value.utf8.contains(where: { !isUnreserved($0) }) else { return value }
        return value.addingPercentEncoding(withAllowedCharacters: unreservedCharacters) ?? value
    }

    private static let unreservedCharacters = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// Whether a `Content-Type` names JSON: `application/json`, in any case, with or without parameters.
    static func isJSON(_ contentType: String) -> Bool {
        var text = contentType
        return text.withUTF8 { bytes in
            var lower = 0
            var upper = bytes.firstIndex(of: UInt8(ascii: ";")) ?? bytes.count
            while lower < upper, bytes[lower] == UInt8(ascii: " ") { lower += 1 }
            while upper > lower, bytes[upper - 1] == UInt8(ascii: " ") { upper -= 1 }
            guard upper - lower == jsonMediaType.count else { return false }
            for (offset, expected) in jsonMediaType.enumerated() {
                let byte = bytes[lower + offset]
                guard (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 == expected : byte == expected else { return false }
            }
            return true
        }
    }

    private static let jsonMediaType = Array("application/json".utf8)

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default: false
        }
    }

    /// The JSON body of a hand-built call's answer: its status must be `status` and its content type JSON
    /// (or unnamed), as the generated client requires. Error statuses never get here
    /// (``ErrorResponseMiddleware``).
    /// `fast` reads the common forms straight from the bytes; where it returns nil, `JSONDecoder` reads them.
    private func decode<T: Decodable>(
        _ type: T.Type, expecting status: Int, from response: HTTPResponse, _ body: HTTPBody?, operation: String,
        fast: (UnsafeRawBufferPointer) -> T? = { _ in nil }
    ) async throws -> T {
        func invalid(_ reason: String) -> HatifAPIError {
            .invalidResponse(operation: operation, status: response.status.code, reason: reason, requestID: response.headerFields[.requestID])
        }
        guard response.status.code == status else { throw invalid("expected HTTP \(status)") }
        // The first field of the name, not the subscript's join of all of them (an array and a string a call).
        if let contentType = response.headerFields.first(where: { $0.name == .contentType })?.value, !Self.isJSON(contentType) {
            throw invalid("expected JSON, got the content type \(contentType)")
        }
        guard let body else { throw invalid("no body") }
        let bytes = try await Data(collecting: body, upTo: .max)
        if let value = bytes.withUnsafeBytes(fast) { return value }
        do {
            return try decoder.decode(type, from: bytes)
        } catch {
            throw invalid("\(error)")
        }
    }

    /// Deletes a contact.
    public func deleteContact(id: String) async throws {
        try await call(Operations.DeleteContact.id) {
            _ = try await client.deleteContact(path: .init(contactId: id)).noContent
        }
    }

    /// Sets one property value on a contact.
    public func setPropertyValue(contactID: String, propertyID: String, value: String) async throws -> ContactDto {
        try await call(Operations.SetContactPropertyValue.id) {
            try await client.setContactPropertyValue(
                path: .init(contactId: contactID, propertyId: propertyID), body: .json(.init(value: value))
            ).ok.body.json
        }
    }

    /// Removes one property value from a contact.
    public func deletePropertyValue(contactID: String, propertyID: String) async throws {
        try await call(Operations.DeleteContactPropertyValue.id) {
            _ = try await client.deleteContactPropertyValue(path: .init(contactId: contactID, propertyId: propertyID))
                .noContent
        }
    }

    /// One page of a contact's history, oldest first.
    public func contactHistory(id: String, skip: Int = 0, max: Int = 100) async throws -> ContactHistoryListResult {
        try await call(Operations.GetContactHistory.id) {
            try await client.getContactHistory(
                path: .init(contactId: id), query: .init(skipCount: Int32(skip), maxResultCount: Int32(max))
            ).ok.body.json
        }
    }

    /// Search Contacts [Complex]: one page of the contacts matching any of the filter groups.
    ///
    /// Built by hand, with the bytes the generated client sends (``SearchContactsInputJSON``), so that neither
    /// the request goes through `JSONEncoder` nor its answer through `JSONDecoder` (``ContactDtoJSON``).
    public func searchContacts(_ input: SearchContactsInput) async throws -> ContactListResult {
        let operation = Operations.SearchContacts.id
        var request = HTTPRequest(method: .post, scheme: nil, authority: nil, path: "/v1/contacts/search")
        request.headerFields.append(HTTPField(name: .accept, value: "application/json"))
        let (response, responseBody) = try await send(request, json: SearchContactsInputJSON.encode(input), operation: operation)
        return try await decode(ContactListResult.self, expecting: 200, from: response, responseBody, operation: operation, fast: ContactDtoJSON.decodeList)
    }

    /// Get Contacts Search: substring match on name, phone and email.
    public func searchContactsText(keyword: String, skip: Int = 0, max: Int = 100) async throws -> ContactListResult {
        try await call(Operations.SearchContactsText.id) {
            try await client.searchContactsText(
                body: .json(.init(keyword: keyword, skipCount: Int32(skip), maxResultCount: Int32(max)))
            ).ok.body.json
        }
    }

    /// Create Bulk Contacts vCards: sends `vcards` (UTF-8 vCard 3.0/4.0 text) as one `.vcf` file.
    ///
    /// Built by hand, as the generated client builds it (the same multipart encoder), so that its answer, a
    /// result per card, is read from the bytes (``BulkVCardsResultJSON``) rather than by `JSONDecoder`.
    public func createBulkContacts(vcards: [UInt8], filename: String = "contacts.vcf") async throws -> BulkVCardsResult {
        typealias Payload = Operations.CreateBulkContactsVCards.Input.Body.MultipartFormPayload
        let operation = Operations.CreateBulkContactsVCards.id
        var request = HTTPRequest(method: .post, scheme: nil, authority: nil, path: "/v1/contacts/bulk/vcards")
        request.headerFields.append(HTTPField(name: .accept, value: "application/json"))
        let body = try await call(operation) {
            let part = MultipartPart(payload: Payload.FilePayload(body: HTTPBody(vcards)), filename: filename)
            return try converter.setRequiredRequestBodyAsMultipart(
                MultipartBody<Payload>([.file(part)]), headerFields: &request.headerFields, contentType: "multipart/form-data",
                allowsUnknownParts: true, requiredExactlyOncePartNames: ["File"], requiredAtLeastOncePartNames: [],
                atMostOncePartNames: [], zeroOrMoreTimesPartNames: []
            ) { part in
                switch part {
                case .file(let file):
                    var headerFields = HTTPFields()
                    let body = try converter.setRequiredRequestBodyAsBinary(file.payload.body, headerFields: &headerFields, contentType: "text/vcard")
                    return .init(name: "File", filename: file.filename, headerFields: headerFields, body: body)
                case .undocumented(let raw): return raw
                }
            }
        }
        let (response, responseBody) = try await send(request, body: body, operation: operation)
        return try await decode(
            BulkVCardsResult.self, expecting: 200, from: response, responseBody, operation: operation, fast: BulkVCardsResultJSON.decode)
    }

    // MARK: Errors

    /// Runs one generated call and maps whatever it throws onto ``HatifAPIError``.
    /// Anything else becomes `otherwise`'s error, by default an invalid response (the generated client's own
    /// errors, a body that does not decode among them).
    private func call<T>(
        _ operation: String, otherwise: ((any Error) -> HatifAPIError)? = nil, _ work: () async throws -> T
    ) async throws -> T {
        do {
            return try await work()
        } catch let error as ClientError {
            throw Self.map(error, operation: operation)
        } catch let error as HatifAPIError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw otherwise?(error) ?? HatifAPIError.invalidResponse(operation: operation, status: 0, reason: "\(error)", requestID: nil)
        }
    }

    static func map(_ error: ClientError, operation: String) -> any Error {
        let underlying = error.underlyingError
        if let api = underlying as? HatifAPIError { return api }
        if underlying is CancellationError { return underlying }
        if let response = error.response {
            return HatifAPIError.invalidResponse(
                operation: operation, status: response.status.code, reason: error.causeDescription,
                requestID: response.headerFields[.requestID])
        }
        return HatifAPIError.transport(operation: operation, reason: "\(underlying)")
    }
}
