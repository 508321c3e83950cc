import Foundation
import HTTPTypes
import HatifAPI
import Logging
import OpenAPIRuntime
import HatifSandbox
import HatifTestSupport
import Testing

@Suite("Retries, rate limits and dropped connections")
struct ResilienceTests {
    static let quickRetry = RetryPolicy(maxAttempts: 8, initialBackoff: .milliseconds(2), maxBackoff: .milliseconds(20))

    @Test("a 429 reaches the caller with its Retry-After when retries are off")
    func rateLimitSurfacesRetryAfter() async throws {
        // One request per 10 s: the second call comes before the budget refills however loaded the machine is
        // (at 0.5/s, a full test run busy on both cores once let more than 2 s pass between the calls, and no
        // 429 came).
        let configuration = SandboxConfiguration(faults: FaultConfiguration(rateLimit: 0.1, burst: 1))
        try await SandboxHarness.withClient(configuration, retry: .never) { _, client in
            _ = try await client.getContacts()
            let error = await #expect(throws: HatifAPIError.self) { _ = try await client.getContacts() }
            guard case .response(let details) = error else { Issue.record("expected an error response"); return }
            #expect(details.status == 429)
            #expect(details.code == "RateLimit.Exceeded")
            // 10 s at 0.1 requests a second, less the time between the calls.
            #expect((Duration.seconds(1)...Duration.seconds(10)).contains(details.retryAfter ?? .zero), "Retry-After: \(String(describing: details.retryAfter))")
            #expect(error?.retryAfter == details.retryAfter)
        }
    }

    @Test("a 429 is waited out for its Retry-After and the call then succeeds")
    func rateLimitIsWaitedOut() async throws {
        // One request per 4 s: the second call comes long before the budget refills, however loaded the
        // machine is (at 2/s a test run busy on both cores let 500 ms pass between the calls, and no 429 came).
        let configuration = SandboxConfiguration(faults: FaultConfiguration(rateLimit: 0.25, burst: 1))
        try await SandboxHarness.withClient(configuration, retry: Self.quickRetry) { sandbox, client in
            let start = ContinuousClock.now
            _ = try await client.getContacts()
            _ = try await client.getContacts()
            #expect(ContinuousClock.now - start >= .seconds(1), "Retry-After: 1 was honoured")
            let counts = await sandbox.server.statistics.snapshot()
            #expect(counts.count("getContacts", status: 429) == 1)
            #expect(counts.count("getContacts", status: 200) == 2)
        }
    }

    @Test("idempotent calls are repeated after injected 500s until they succeed")
    func idempotentCallsRetry500() async throws {
        let configuration = SandboxConfiguration(faults: FaultConfiguration(seed: 7, rateLimit: nil, error500Rate: 0.4))
        try await SandboxHarness.withClient(configuration, retry: Self.quickRetry) { sandbox, client in
            for _ in 0..<20 { _ = try await client.getContacts() }
            let counts = await sandbox.server.statistics.snapshot()
            #expect(counts.count("getContacts", status: 200) == 20)
            #expect(counts.count("getContacts", status: 500) > 0)
        }
    }

    @Test("a create answered 500 is not repeated: its outcome is the caller's to check")
    func createIsNotRetriedOn500() async throws {
        let configuration = SandboxConfiguration(faults: FaultConfiguration(rateLimit: nil, error500Rate: 1))
        try await SandboxHarness.withClient(configuration, retry: Self.quickRetry) { sandbox, client in
            let error = await #expect(throws: HatifAPIError.self) {
                _ = try await client.createContact(.init(phoneNumber: "+966500111222"))
            }
            #expect(error?.status == 500, "\(String(describing: error))")
            #expect(await sandbox.server.statistics.snapshot().count("createContact") == 1)
        }
    }

    @Test("a create answered 503 (not processed) is repeated")
    func createIsRetriedOn503() async throws {
        let configuration = SandboxConfiguration(faults: FaultConfiguration(seed: 3, rateLimit: nil, error503Rate: 0.5, serviceUnavailableRetryAfter: 0))
        try await SandboxHarness.withClient(configuration, retry: Self.quickRetry) { sandbox, client in
            // The sandbox answers 503 before reading the body, as gateways do, so some of these also race the
            // request body: the connection then closes before the whole request went out, which must be repeated too.
            for index in 0..<40 {
                _ = try await client.createContact(.init(phoneNumber: "+9665001112\(String(format: "%02d", index))"))
            }
            let counts = await sandbox.server.statistics.snapshot()
            #expect(counts.count("createContact", status: 201) == 40)
            #expect(counts.count("createContact", status: 503) > 0)
            #expect(await sandbox.server.export().contacts.count == 40)
        }
    }

    @Test("a dropped connection after a create is a transport error, not repeated, and the write happened")
    func droppedCreateIsUnknownOutcome() async throws {
        let configuration = SandboxConfiguration(faults: FaultConfiguration(rateLimit: nil, dropRate: 1))
        try await SandboxHarness.withClient(configuration, retry: Self.quickRetry) { sandbox, client in
            let error = await #expect(throws: HatifAPIError.self) {
                _ = try await client.createContact(.init(phoneNumber: "+966500111222"))
            }
            guard case .transport(let operation, _) = error else { Issue.record("expected .transport, got \(String(describing: error))"); return }
            #expect(operation == "createContact")
            #expect(await sandbox.server.export().contacts.count == 1)
            let counts = await sandbox.server.statistics.snapshot()
            #expect(counts.count("createContact") == 1)
            #expect(counts.dropped["createContact"] == 1)
        }
    }

    @Test("idempotent calls are repeated after dropped connections")
    func droppedReadsRetry() async throws {
        let configuration = SandboxConfiguration(faults: FaultConfiguration(seed: 11, rateLimit: nil, dropRate: 0.5))
        try await SandboxHarness.withClient(configuration, retry: Self.quickRetry) { sandbox, client in
            for _ in 0..<10 { _ = try await client.getContacts() }
            let counts = await sandbox.server.statistics.snapshot()
            #expect((counts.dropped["getContacts"] ?? 0) > 0)
        }
    }

    @Test("Retry-After is read in seconds and as an HTTP-date")
    func retryAfterForms() {
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        #expect(RetryAfter.parse("3", now: now) == .seconds(3))
        #expect(RetryAfter.parse(" 0 ", now: now) == .zero)
        let later = now.addingTimeInterval(90)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        #expect(RetryAfter.parse(formatter.string(from: later), now: now) == .seconds(90))
        #expect(RetryAfter.parse(formatter.string(from: now.addingTimeInterval(-50)), now: now) == .zero)
        #expect(RetryAfter.parse("soon", now: now) == nil)
        #expect(RetryAfter.parse("-5", now: now) == nil)
    }

    @Test("backoff is full jitter under an exponential ceiling and never below Retry-After")
    func backoffBounds() {
        let policy = RetryPolicy(initialBackoff: .milliseconds(100), maxBackoff: .seconds(1))
        var generator = SeededGenerator(seed: 5)
        for attempt in 1...8 {
            let ceiling = min(Duration.seconds(1), .milliseconds(100 * (1 << (attempt - 1))))
            for _ in 0..<50 {
                let delay = policy.delay(afterAttempt: attempt, retryAfter: nil, using: &generator)
                #expect(delay >= .zero && delay <= ceiling)
            }
        }
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(3), using: &generator) == .seconds(3))
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(500), using: &generator) == .seconds(120))
        #expect(policy.shouldRetry(status: 500, operationID: "getContacts"))
        #expect(!policy.shouldRetry(status: 500, operationID: "createBulkContactsVCards"))
        #expect(policy.shouldRetry(status: 429, operationID: "createBulkContactsVCards"))
        let reset = HatifHTTPTransport.Failure.connectionClosed(requestSent: true)
        #expect(!policy.shouldRetryTransportError(reset, operationID: "createContact"))
        #expect(policy.shouldRetryTransportError(reset, operationID: "updateContact"))
    }

    @Test("a create whose body the server cut short by answering early is repeated; after a lost answer it is not")
    func createCutShortIsRetried() async throws {
        let policy = Self.quickRetry
        let notDeliveredFailures: [HatifHTTPTransport.Failure] = [
            .connectionClosed(requestSent: false), .connection(reason: "reset", requestSent: false),
            .connectFailed(host: "api.example.test", port: 443, reason: "refused"), .timedOut(requestSent: false),
        ]
        for notDelivered in notDeliveredFailures {
            #expect(policy.shouldRetryTransportError(notDelivered, operationID: "createBulkContactsVCards"))
            let wrapped = ClientError(
                operationID: "createContact", operationInput: "", causeDescription: "Transport threw an error.",
                underlyingError: notDelivered)
            #expect(policy.shouldRetryTransportError(wrapped, operationID: "createContact"))
        }
        #expect(!policy.shouldRetryTransportError(HatifHTTPTransport.Failure.timedOut(requestSent: true), operationID: "createContact"))

        let middleware = RetryMiddleware(policy: policy, logger: Logger(label: "test"))
        let attempts = Counter()
        let request = HTTPRequest(method: .post, scheme: "http", authority: "sandbox", path: "/contacts")
        let (response, _) = try await middleware.intercept(
            request, body: HTTPBody("{}"), baseURL: URL(string: "http://sandbox")!, operationID: "createContact"
        ) { _, _, _ in
            if await attempts.increment() == 1 { throw HatifHTTPTransport.Failure.connectionClosed(requestSent: false) }
            return (HTTPResponse(status: .created), nil)
        }
        #expect(response.status == .created)
        #expect(await attempts.value == 2)

        let lost = Counter()
        await #expect(throws: HatifHTTPTransport.Failure.timedOut(requestSent: true)) {
            _ = try await middleware.intercept(
                request, body: HTTPBody("{}"), baseURL: URL(string: "http://sandbox")!, operationID: "createContact"
            ) { _, _, _ in
                await lost.increment()
                throw HatifHTTPTransport.Failure.timedOut(requestSent: true)
            }
        }
        #expect(await lost.value == 1)
    }
}
