import Foundation
import HatifAPI
import HatifImport
import HatifTestSupport
import Logging
import Synchronization
import Testing

@Suite("API connection")
struct APIConnectionTests {
    @Test("with no API URL the embedded sandbox is used and announced in one line")
    func embeddedSandbox() async throws {
        let lines = Mutex<[String]>([])
        let count = try await APIConnection.with(
            .init(), logger: Logger(label: "test"), announce: { line in lines.withLock { $0.append(line) } }
        ) { client, target in
            guard case .embeddedSandbox = target else {
                Issue.record("expected the embedded sandbox, got \(target)")
                return 0
            }
            _ = try await client.createContact(.init(phoneNumber: "+966500111222"))
            return Int(try await client.getContacts().totalCount)
        }
        #expect(count == 1)
        let announced = lines.withLock { $0 }
        #expect(announced.count == 1)
        #expect(announced.first?.contains("embedded sandbox") == true)
        #expect(announced.first?.contains("HATIF_API_URL") == true)
    }

    @Test("an API URL without client id or secret is refused before any request")
    func remoteNeedsCredentials() async throws {
        let url = URL(string: "http://127.0.0.1:9")!
        await #expect(throws: CredentialsError.self) {
            try await APIConnection.with(.init(apiURL: url, clientSecret: Secret("s")), logger: Logger(label: "t"), announce: { _ in }) { _, _ in }
        }
        await #expect(throws: CredentialsError.self) {
            try await APIConnection.with(.init(apiURL: url, clientID: "id"), logger: Logger(label: "t"), announce: { _ in }) { _, _ in }
        }
    }

    @Test("errors map to the documented exit codes")
    func exitCodes() {
        let auth = HatifAPIError.authentication(.init(tokenURL: "u", status: 400, oauthError: "invalid_client", reason: ""))
        #expect(ExitStatus.forError(auth) == .authenticationFailed)
        #expect(ExitStatus.forError(HatifAPIError.transport(operation: "getContacts", reason: "closed")) == .apiUnavailable)
        let forbidden = HatifAPIError.response(.init(operation: "getContacts", status: 403, code: nil, message: "Forbidden"))
        #expect(ExitStatus.forError(forbidden) == .authenticationFailed)
        let unavailable = HatifAPIError.response(.init(operation: "getContacts", status: 503, code: nil, message: "x"))
        #expect(ExitStatus.forError(unavailable) == .apiUnavailable)
        #expect(ExitStatus.forError(CancellationError()) == .interrupted)
        #expect(ExitStatus.forError(CredentialsError.missingClientID) == .usage)
        #expect(ExitStatus.allCases.map(\.rawValue) == [0, 1, 2, 3, 4, 5])
    }
}
