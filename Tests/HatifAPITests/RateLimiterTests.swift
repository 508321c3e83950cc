import HatifAPI
import HatifSandbox
import HatifTestSupport
import Testing

@Suite("Client rate limit")
struct RateLimiterTests {
    @Test("a token bucket grants its burst, then one token per 1/rate")
    func bucket() {
        var bucket = TokenBucket(rate: 10, burst: 3)
        let start = ContinuousClock.now
        #expect((0..<3).map { _ in bucket.take(now: start) } == [nil, nil, nil])
        #expect(bucket.take(now: start) == .milliseconds(100))
        #expect(bucket.take(now: start.advanced(by: .milliseconds(100))) == nil)
        var debt = TokenBucket(rate: 4, burst: 1)
        #expect(debt.reserve(now: start) == .zero)
        #expect(debt.reserve(now: start) == .milliseconds(250))
        #expect(debt.reserve(now: start) == .milliseconds(500))
    }

    @Test("429s halve the rate down to the floor; successes add one request a second back up to the ceiling")
    func additiveIncreaseMultiplicativeDecrease() async {
        let limiter = RateLimiter(maxRate: 16, minRate: 1)
        await limiter.throttled(retryAfter: nil)
        #expect(await limiter.rate == 8)
        await limiter.throttled(retryAfter: nil)
        await limiter.throttled(retryAfter: nil)
        await limiter.throttled(retryAfter: nil)
        await limiter.throttled(retryAfter: nil)
        #expect(await limiter.rate == 1)
        await limiter.succeeded()
        #expect(await limiter.rate == 2)
        for _ in 0..<2 { await limiter.succeeded() }
        #expect(await limiter.rate == 3)
        for _ in 0..<200 { await limiter.succeeded() }
        #expect(await limiter.rate == 16)
    }

    @Test("a client kept under the server's limit gets no 429")
    func staysUnderServerLimit() async throws {
        let sandbox = SandboxConfiguration(faults: FaultConfiguration(rateLimit: 10, burst: 2))
        try await SandboxHarness.withClient(sandbox, retry: .never) { running, _ in
            var configuration = running.clientConfiguration(retry: .never)
            configuration.maxRequestsPerSecond = 8
            let client = HatifClient(configuration: configuration, transport: SharedTransport.shared)
            for _ in 0..<12 { _ = try await client.getContacts() }
            let counts = await running.server.statistics.snapshot()
            #expect(counts.count("getContacts", status: 200) == 12)
            #expect(counts.count("getContacts", status: 429) == 0)
        }
    }
}
