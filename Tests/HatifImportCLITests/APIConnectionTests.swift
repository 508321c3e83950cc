import Foundation
import HatifAPI
import HatifImport
import HatifTestSupport
import Logging
import Synchronization
import Testing

@testable import hatif_import

@Suite("API connection and exit codes")
struct APIConnectionTests {
    @Test("with --sandbox the embedded sandbox is used and announced in one line")
    func embeddedSandbox() async throws {
        let lines = Mutex<[String]>([])
        let count = try await APIConnection.with(
            .init(sandbox: true), logger: Logger(label: "test"), announce: { line in lines.withLock { $0.append(line) } }
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
    }

    @Test("no API URL and no --sandbox is refused before anything starts, credentials or not; so are both")
    func noSilentSandbox() async throws {
        let announced = Mutex<[String]>([])
        let say: @Sendable (String) -> Void = { line in announced.withLock { $0.append(line) } }
        let none = await #expect(throws: ConnectionError.self) {
            try await APIConnection.with(.init(), logger: Logger(label: "t"), announce: say) { _, _ in }
        }
        #expect(none == .noAPIURL)
        #expect("\(none!)".contains("--api-url") && "\(none!)".contains("HATIF_API_URL") && "\(none!)".contains("--sandbox"))
        let credentials = await #expect(throws: ConnectionError.self) {
            try await APIConnection.with(.init(clientID: "nightly", clientSecret: Secret("s")), logger: Logger(label: "t"), announce: say) { _, _ in }
        }
        #expect(credentials == .credentialsWithoutURL)
        let both = await #expect(throws: ConnectionError.self) {
            try await APIConnection.with(.init(apiURL: URL(string: "http://127.0.0.1:9")!, sandbox: true), logger: Logger(label: "t"), announce: say) { _, _ in }
        }
        #expect(both == .urlAndSandbox)
        #expect(announced.withLock { $0 }.isEmpty, "no sandbox was started")
        #expect(ExitStatus.forError(ConnectionError.noAPIURL) == .usage)
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
        #expect(ExitStatus.forError(StateError.locked(workspace: "w", holder: "run 1 (host h, pid 1)")) == .locked)
        #expect(ExitStatus.forError(StateError.inputsChanged(run: 1, reason: "r")) == .inputsChanged)
        #expect(ExitStatus.forError(CheckpointError.inputsChanged(reason: "r")) == .inputsChanged)
        #expect(ExitStatus.forError(StateError.connectionLost(location: "postgres://h/db", reason: "terminated")) == .stateUnavailable)
        #expect(ExitStatus.forError(PropertySyncError.incompatibleType(name: "a", existing: .text, wanted: .number)) == .propertyConflict)
        #expect(ExitStatus.forError(PropertySyncError.missingOptions(name: "a", options: ["b"])) == .propertyConflict)
        #expect(ExitStatus.allCases.map(\.rawValue) == Array(0...12))
        #expect(Set(ExitStatus.allCases.map(\.name)).count == 13)
        for status in ExitStatus.allCases { #expect(ExitStatus.table.contains("\(status.rawValue) "), "\(status) is documented") }
    }

    @Test("a run's status: failures before rejects, and what stays within --max-rejects is success")
    func summaryStatus() throws {
        var summary = PlanSummary()
        summary.records = 1_000
        #expect(ExitStatus.forSummary(summary, budget: nil) == .success)
        summary.reject = 3
        #expect(ExitStatus.forSummary(summary, budget: nil) == .recordsRejected)
        summary.failed = 2
        #expect(ExitStatus.forSummary(summary, budget: nil) == .recordsFailed)
        #expect(ExitStatus.forSummary(summary, budget: RejectBudget("5")) == .success)
        #expect(ExitStatus.forSummary(summary, budget: RejectBudget("4")) == .recordsFailed)
        #expect(ExitStatus.forSummary(summary, budget: RejectBudget("0.5%")) == .success)
        #expect(ExitStatus.forSummary(summary, budget: RejectBudget("0.4%")) == .recordsFailed)
        summary.failed = 0
        summary.conflict = 1
        #expect(ExitStatus.forSummary(summary, budget: RejectBudget("3")) == .recordsRejected, "conflicts count too")
        #expect(RejectBudget("x") == nil && RejectBudget("-1") == nil && RejectBudget("101%") == nil)
    }

    @Test("--on-missing's guards and undo's refusals have their exit codes: 11 too many missing, 12 a shrunken input, 2 an undo refused")
    func missingAndUndoStatus() {
        #expect(ExitStatus.forError(MissingError.tooMany(missing: 12, known: 100, limit: Allowance(percent: 5))) == .tooManyMissing)
        #expect(ExitStatus.forError(MissingError.inputShrank(records: 40, last: 100, lastRun: 3)) == .inputShrank)
        #expect(ExitStatus.tooManyMissing.rawValue == 11 && ExitStatus.inputShrank.rawValue == 12)
        #expect(ExitStatus.forError(UndoError.undoOfUndo(run: 5, undoes: 4)) == .usage)
        #expect(ExitStatus.forError(UndoError.alreadyUndone(run: 4, by: 5)) == .usage)
        #expect("\(MissingError.tooMany(missing: 12, known: 100, limit: Allowance(percent: 5)))".contains("--max-missing 12"))
        #expect("\(MissingError.inputShrank(records: 40, last: 100, lastRun: 3))".contains("--allow-shrink"))
    }
}
