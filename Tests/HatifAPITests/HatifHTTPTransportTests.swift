import AsyncHTTPClient
import Foundation
import HTTPTypes
@testable import HatifAPI
import HatifSandbox
import HatifTestSupport
import Logging
import NIOCore
import NIOPosix
import OpenAPIRuntime
import Testing

@Suite("HTTP transport and where calls run")
struct HatifHTTPTransportTests {
    @Test("a client on a one-loop HTTP client runs the calls it is given on that loop, child tasks included")
    func callsRunOnTheLoop() async throws {
        try await SandboxHarness.withClient { _, client in
            let executor = try #require(client.callExecutor)
            #expect(!executor.eventLoop.inEventLoop)
            let created = try await client.onCallExecutor {
                try await withThrowingTaskGroup(of: Bool.self) { group in
                    for index in 0..<8 {
                        group.addTask {
                            let onLoopBefore = executor.eventLoop.inEventLoop
                            _ = try await client.createContact(ContactInput(firstName: "Loop \(index)", email: "loop\(index)@example.org"))
                            return onLoopBefore && executor.eventLoop.inEventLoop
                        }
                    }
                    return try await group.reduce(into: [Bool]()) { $0.append($1) }
                }
            }
            #expect(created == Array(repeating: true, count: 8))
            #expect(try await client.getContacts().totalCount == 8)
        }
    }

    @Test("a client on several loops leaves its calls on the caller's executor")
    func noExecutorForSeveralLoops() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let http = HTTPClient(eventLoopGroup: group)
        let client = HatifClient(
            configuration: HatifClientConfiguration(
                apiURL: URL(string: "http://127.0.0.1:9")!, credentials: ClientCredentials(clientID: "c", clientSecret: Secret("s"))),
            httpClient: http)
        #expect(client.callExecutor == nil)
        let ran = await client.onCallExecutor { 42 }
        #expect(ran == 42)
        try await http.shutdown()
        try await group.shutdownGracefully()
    }

    @Test("the request path is joined to the API URL's own path, and a query or fragment of the API URL is dropped")
    func joinsURLs() throws {
        #expect(try HatifHTTPTransport.url("/v1/contacts?SkipCount=0", under: URL(string: "https://api.example.test/voxa")!)
            == "https://api.example.test/voxa/v1/contacts?SkipCount=0")
        #expect(try HatifHTTPTransport.url("/v1/contacts/a%2Fb", under: URL(string: "http://127.0.0.1:8080")!)
            == "http://127.0.0.1:8080/v1/contacts/a%2Fb")
        #expect(try HatifHTTPTransport.url("/v1/contacts", under: URL(string: "https://h.test/api?key=1#top")!) == "https://h.test/api/v1/contacts")
        #expect(throws: HatifHTTPTransport.Failure.self) { try HatifHTTPTransport.url(nil, under: URL(string: "https://h.test")!) }
    }

    @Test("a request body over the limit is refused before anything is sent, and the refusal is not a retryable delivery failure")
    func oversizedBodyIsRefused() async throws {
        try await SandboxHarness.withClient { sandbox, _ in
            let transport = HatifHTTPTransport(client: .shared, maxBodyBytes: 16)
            var request = HTTPRequest(method: .post, scheme: nil, authority: nil, path: "/v1/contacts")
            request.headerFields[.contentType] = "application/json"
            let error = await #expect(throws: HatifHTTPTransport.Failure.self) {
                _ = try await transport.send(request, body: HTTPBody(String(repeating: "x", count: 17)), baseURL: sandbox.url, operationID: "createContact")
            }
            #expect("\(error!)".contains("16 bytes"))
            #expect(!TransportFailure.requestWasNotDelivered(error!))
            #expect(await sandbox.server.statistics.snapshot().count("createContact", status: 201) == 0)
            // At the limit it goes, and the answer comes back whole.
            let (response, body) = try await HatifHTTPTransport(client: .shared).send(
                HTTPRequest(method: .get, scheme: nil, authority: nil, path: "/v1/contacts?SkipCount=0&MaxResultCount=1"),
                body: nil, baseURL: sandbox.url, operationID: "getContacts")
            #expect(response.status.code == 401)
            #expect(try await String(collecting: try #require(body), upTo: 1 << 16).contains("error"))
        }
    }

    @Test("a call whose task is cancelled ends with CancellationError, not a transport error")
    func cancellationIsCancellation() async throws {
        let configuration = SandboxConfiguration(faults: FaultConfiguration(latencyMilliseconds: 4_000, rateLimit: nil))
        try await SandboxHarness.withClient(configuration) { _, client in
            // The token first: a token request is shared by every caller, so one caller's cancellation does
            // not end it.
            _ = try await client.tokens.token()
            let call = Task { try await client.getContacts() }
            try await Task.sleep(for: .milliseconds(300))
            call.cancel()
            let start = ContinuousClock.now
            let result = await call.result
            #expect(ContinuousClock.now - start < .seconds(3), "the cancelled call did not wait for the 4 s answer")
            #expect(throws: CancellationError.self) { try result.get() }
        }
    }

    @Test("a sleep on the loop's timer waits its time, ends at once when cancelled, and paces a limiter that uses it")
    func sleepsOnTheLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let executor = EventLoopTaskExecutor(group.next())
        let start = ContinuousClock.now
        try await executor.sleep(for: .milliseconds(50))
        #expect(ContinuousClock.now - start >= .milliseconds(50))
        let long = Task { try await executor.sleep(for: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(20))
        long.cancel()
        let cancelled = ContinuousClock.now
        await #expect(throws: CancellationError.self) { try await long.value }
        #expect(ContinuousClock.now - cancelled < .seconds(5))
        // 10 requests a second, burst 1: the tenth goes 0.9 s after the first, every wait on the loop.
        let waits = Counter()
        let limiter = RateLimiter(maxRate: 10, burst: 1) { duration in
            await waits.add(duration)
            try await executor.sleep(for: duration)
        }
        let paced = ContinuousClock.now
        for _ in 0..<10 { try await limiter.acquire() }
        #expect(ContinuousClock.now - paced >= .milliseconds(850))
        // Nine waits on an idle machine; fewer when a loaded one is slow enough between requests to refill
        // the bucket, but never none, and never less time in all than the rate allows.
        #expect((1...9).contains(await waits.count))
        try await group.shutdownGracefully()
    }

    /// Counts the waits a limiter asks for.
    actor Counter {
        var count = 0
        func add(_: Duration) { count += 1 }
    }
}
