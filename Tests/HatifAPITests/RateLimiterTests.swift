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

    @Test("a paced client lets a request go that is at most 20 ms ahead of its slot, and makes the next one wait")
    func pacingSlack() async throws {
        #expect(RateLimiter.pacingBurst(rate: 200) == 5)
        #expect(abs(RateLimiter.pacingBurst(rate: 20) - 1.4) < 1e-9)
        let slept = Recorded()
        let limiter = RateLimiter(maxRate: 200, burst: RateLimiter.pacingBurst(rate: 200)) { await slept.add($0) }
        for _ in 0..<5 { try await limiter.acquire() }
        #expect(await slept.all.isEmpty, "five requests within 20 ms of their slots go at once")
        try await limiter.acquire()
        let waits = await slept.all
        #expect(waits.count == 1)
        #expect(waits.allSatisfy { $0 >= .milliseconds(3) && $0 <= .milliseconds(5) }, "the sixth waits for its token: \(waits)")
    }

    private actor Recorded {
        var all: [Duration] = []
        func add(_ duration: Duration) { all.append(duration) }
    }

    @Test("frequent refusals halve the rate down to the floor; successes add one request a second back up to the ceiling")
    func additiveIncreaseMultiplicativeDecrease() async throws {
        let limiter = RateLimiter(maxRate: 16, burst: 1_000, minRate: 1)
        for _ in 0..<(RateLimiter.refusalsToDecrease - 1) { await limiter.throttled(ticket: try await limiter.acquire(), retryAfter: nil) }
        #expect(await limiter.rate == 16, "a few refusals are sporadic")
        for _ in 0..<5 { await limiter.throttled(ticket: try await limiter.acquire(), retryAfter: nil) }
        #expect(await limiter.rate == 1)
        await limiter.succeeded()
        #expect(await limiter.rate == 2)
        for _ in 0..<2 { await limiter.succeeded() }
        #expect(await limiter.rate == 3)
        for _ in 0..<200 { await limiter.succeeded() }
        #expect(await limiter.rate == 16)
    }

    @Test("the refusals of requests already in flight at a decrease halve the rate once, as TCP counts one loss per window")
    func oneDecreasePerWindow() async throws {
        let limiter = RateLimiter(maxRate: 1_000, burst: 1_000)
        var tickets: [UInt64] = []
        for _ in 0..<(RateLimiter.refusalsToDecrease + 8) { tickets.append(try await limiter.acquire()) }
        for ticket in tickets { await limiter.throttled(ticket: ticket, retryAfter: .seconds(1)) }
        #expect(await limiter.rate == 500, "the refusals of one window: one decrease")
        #expect(await limiter.pauses == 0)
        await limiter.throttled(ticket: try await limiter.acquire(), retryAfter: .milliseconds(1))
        #expect(await limiter.rate == 250, "a refusal of a request sent after the decrease is a new event")
    }

    @Test("sporadic refusals (5%, some in clusters) cost neither rate nor pause; refusals that persist after a decrease pause every request for Retry-After")
    func sporadicAndSustained() async throws {
        let limiter = RateLimiter(maxRate: 20, burst: 1_000)
        for round in 0..<20 {
            // Five refusals close together in one round, as random 503s at 5% now and then cluster.
            let refusals = round == 10 ? 5 : 1
            for _ in 0..<refusals { await limiter.throttled(ticket: try await limiter.acquire(), retryAfter: .seconds(1)) }
            for _ in 0..<(20 - refusals) {
                _ = try await limiter.acquire()
                await limiter.succeeded()
            }
        }
        #expect(await limiter.pauses == 0, "one refusal in 20 requests never stops the others")
        #expect(await limiter.rate == 20, "nor slows them")
        for _ in 0..<(RateLimiter.refusalsToDecrease + 2) { await limiter.throttled(ticket: try await limiter.acquire(), retryAfter: .milliseconds(300)) }
        #expect(await limiter.rate < 20)
        #expect(await limiter.pauses >= 1, "refusals went on after the decrease")
        let start = ContinuousClock.now
        _ = try await limiter.acquire()
        #expect(ContinuousClock.now - start >= .milliseconds(250), "the pause holds the next request")
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
