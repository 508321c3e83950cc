import AsyncHTTPClient
import Foundation
import HatifAPI
import HatifSandbox
import HatifTestSupport
import NIOCore
import NIOHTTP1
import Testing

/// The sandbox spoken to as `curl` would: raw HTTP, no generated client.
@Suite("Sandbox over raw HTTP")
struct SandboxHTTPTests {
    private func send(
        _ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: String? = nil
    ) async throws -> (status: Int, headers: HTTPHeaders, body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return (Int(response.status.code), response.headers, String(buffer: bytes))
    }

    @Test("token by form post, then any endpoint with the bearer token, as the contract says")
    func curlFlow() async throws {
        try await SandboxServer.withRunning(configuration: SandboxConfiguration(faults: .none)) { sandbox in
            let base = sandbox.url.absoluteString
            let token = try await send(
                .POST, base + "/connect/token", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: "grant_type=client_credentials&client_id=sandbox&client_secret=sandbox-secret&scope=VoxaAPI")
            #expect(token.status == 200)
            let grant = try JSONSerialization.jsonObject(with: Data(token.body.utf8)) as? [String: Any]
            let accessToken = try #require(grant?["access_token"] as? String)
            #expect(grant?["token_type"] as? String == "Bearer")
            #expect(grant?["expires_in"] as? Int == 3600)
            #expect(grant?["scope"] as? String == "VoxaAPI")

            let auth = [("Authorization", "Bearer \(accessToken)"), ("Content-Type", "application/json")]
            let created = try await send(
                .POST, base + "/v1/contacts", headers: auth,
                body: #"{"FirstName":"Sara","PhoneNumber":"+966500111222","Email":"sara@example.com","Unknown":1}"#)
            #expect(created.status == 201)
            #expect(created.body.contains(#""PhoneNumber":"+966500111222""#))
            #expect(created.headers.first(name: "X-Request-Id") != nil)

            let page = try await send(.GET, base + "/v1/contacts?SkipCount=0&MaxResultCount=5", headers: auth)
            #expect(page.status == 200)
            #expect(page.body.contains(#""TotalCount":1"#))

            let noToken = try await send(.GET, base + "/v1/contacts")
            #expect(noToken.status == 401)
            #expect(noToken.body.contains(#""code":"Auth.InvalidToken""#))

            let badJSON = try await send(.POST, base + "/v1/contacts", headers: auth, body: "{not json")
            #expect(badJSON.status == 400)
            #expect(badJSON.body.contains(#""code":"Request.Invalid""#))

            let wrongClient = try await send(
                .POST, base + "/connect/token", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: "grant_type=client_credentials&client_id=other&client_secret=x")
            #expect(wrongClient.status == 400)
            #expect(wrongClient.body.contains(#""error":"invalid_client""#))
            let wrongGrant = try await send(
                .POST, base + "/connect/token", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: "grant_type=password&client_id=sandbox&client_secret=sandbox-secret")
            #expect(wrongGrant.body.contains(#""error":"unsupported_grant_type""#))
        }
    }

    @Test("the admin surface counts requests, exports, loads, resets and changes faults")
    func adminSurface() async throws {
        try await SandboxHarness.withClient { sandbox, client in
            let base = sandbox.url.absoluteString + "/_sandbox"
            _ = try await client.createContact(.init(firstName: "Sara", phoneNumber: "+966500111222"))
            let stats = try await send(.GET, base + "/stats")
            #expect(stats.body.contains(#""createContact" : {"#))
            #expect(stats.body.contains(#""201" : 1"#))

            let export = try await send(.GET, base + "/export")
            #expect(export.status == 200)
            #expect(export.body.contains("+966500111222"))

            #expect(try await send(.POST, base + "/reset").status == 204)
            #expect(await sandbox.server.export().contacts.isEmpty)

            #expect(try await send(.POST, base + "/load", body: export.body).status == 204)
            let reloaded = await sandbox.server.export()
            #expect(reloaded.contacts.map(\.firstName) == ["Sara"])
            #expect(try await send(.POST, base + "/load", body: "[]").status == 400)

            let faults = try await send(.PUT, base + "/faults", body: #"{"seed":9,"latencyMilliseconds":0,"jitterMilliseconds":0,"rateLimit":null,"burst":1,"error500Rate":1,"error503Rate":0,"dropRate":0,"serviceUnavailableRetryAfter":1}"#)
            #expect(faults.status == 200)
            let failing = await #expect(throws: HatifAPIError.self) { _ = try await client.createContact(.init(phoneNumber: "+966500111223")) }
            #expect(failing?.status == 500)

            #expect(try await send(.POST, base + "/tokens/revoke").status == 204)
        }
    }

    @Test("with a data file the workspace survives a restart")
    func persistence() async throws {
        let file = FileManager.default.temporaryDirectory.appending(path: "sandbox-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let configuration = SandboxConfiguration(faults: .none, dataFile: file)
        let id = try await SandboxHarness.withClient(configuration) { _, client in
            _ = try await client.createContactProperty(.init(name: "tier", displayName: "Tier", _type: .text))
            return try await client.createContact(
                .init(firstName: "Layla", phoneNumber: "+971501234567", properties: [.init(name: "tier", value: "Gold")])
            ).id
        }
        #expect(FileManager.default.fileExists(atPath: file.path))
        try await SandboxHarness.withClient(configuration) { _, client in
            let contact = try await client.getContact(id: id)
            #expect(contact.firstName == "Layla")
            #expect(contact.properties.map(\.value) == ["Gold"])
            let next = try await client.createContact(.init(phoneNumber: "+971501234568"))
            #expect(next.creationTime > contact.creationTime, "creation times keep increasing after a reload")
        }
    }

    @Test("creation times strictly increase, so paging order is stable")
    func creationTimesIncrease() async throws {
        try await SandboxHarness.withClient { _, client in
            var previous: Date?
            for index in 0..<20 {
                let contact = try await client.createContact(.init(phoneNumber: "+9665001112\(String(format: "%02d", index))"))
                if let previous { #expect(contact.creationTime > previous) }
                previous = contact.creationTime
            }
        }
    }

    @Test("a chunked bulk upload is refused with 411; the same upload with Content-Length is served")
    func bulkUploadNeedsLength() async throws {
        try await SandboxServer.withRunning(configuration: SandboxConfiguration(faults: .none)) { sandbox in
            let base = sandbox.url.absoluteString
            let token = try await send(
                .POST, base + "/connect/token", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: "grant_type=client_credentials&client_id=sandbox&client_secret=sandbox-secret&scope=VoxaAPI")
            let accessToken = try #require((try JSONSerialization.jsonObject(with: Data(token.body.utf8)) as? [String: Any])?["access_token"] as? String)
            let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Harbi;Sara;;;\r\nTEL:+966500111222\r\nEND:VCARD\r\n"
            let body = "--b\r\nContent-Disposition: form-data; name=\"File\"; filename=\"c.vcf\"\r\nContent-Type: text/vcard\r\n\r\n\(card)\r\n--b--\r\n"
            var request = HTTPClientRequest(url: base + "/v1/contacts/bulk/vcards")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(accessToken)")
            request.headers.add(name: "Content-Type", value: "multipart/form-data; boundary=b")
            request.body = .stream(AsyncStream { continuation in
                continuation.yield(ByteBuffer(string: body))
                continuation.finish()
            }, length: .unknown)
            let chunked = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            let refusal = String(buffer: try await chunked.body.collect(upTo: 1 << 20))
            #expect(chunked.status.code == 411)
            #expect(refusal.contains("Request.LengthRequired"))
            let sized = try await send(
                .POST, base + "/v1/contacts/bulk/vcards",
                headers: [("Authorization", "Bearer \(accessToken)"), ("Content-Type", "multipart/form-data; boundary=b")], body: body)
            #expect(sized.status == 200)
            #expect(sized.body.contains(#""CreatedCount":1"#))
        }
    }
}
