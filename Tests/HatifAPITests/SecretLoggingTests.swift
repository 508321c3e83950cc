import Foundation
import HatifAPI
import HatifSandbox
import HatifTestSupport
import Testing

@Suite("Secrets")
struct SecretLoggingTests {
    @Test("no client secret or access token appears in any log line at trace level")
    func noSecretInLogs() async throws {
        let secret = "S3cr3t-Recognisable-9f8e7d"
        let capture = LogCapture()
        let logger = capture.logger(level: .trace)
        let configuration = SandboxConfiguration(clientSecret: Secret(secret), faults: FaultConfiguration(seed: 2, rateLimit: nil, error500Rate: 0.2))
        var tokens: [String] = []
        try await SandboxHarness.withClient(configuration, logger: logger) { sandbox, client in
            _ = try await client.createContactProperty(.init(name: "tier", displayName: "Tier", _type: .text))
            tokens.append(try await client.tokens.token().value.revealed)
            _ = try? await client.createContact(.init(phoneNumber: "bad"))
            await sandbox.server.revokeTokens()
            _ = try await client.getContacts()
            tokens.append(try await client.tokens.token().value.revealed)
            _ = try await client.searchContacts(.init(filterGroups: [.init(filters: [.init(field: "Email", _operator: .isEmpty)])]))
            let wrongID = HatifClientConfiguration(
                apiURL: sandbox.url, credentials: ClientCredentials(clientID: "someone-else", clientSecret: Secret(secret)),
                retry: .never)
            _ = try? await HatifClient(configuration: wrongID, transport: SharedTransport.shared, logger: logger).getContacts()
        }

        let text = capture.text
        #expect(capture.count > 10, "the test exercised the logs")
        #expect(text.contains("HTTP exchange"))
        #expect(!text.contains(secret))
        #expect(tokens.count == 2 && tokens[0] != tokens[1])
        for token in tokens { #expect(!text.contains(token)) }
        #expect(!text.lowercased().contains("bearer "))
        #expect("\(ClientCredentials(clientID: "x", clientSecret: Secret(secret)))".contains(secret) == false)
        #expect("\(Secret(secret))" == "<redacted>")
    }
}
