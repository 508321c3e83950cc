/// The client's request budget, shared by every request of a run: a token bucket whose rate backs off
/// when the server keeps saying 429 or 503 and creeps back up while requests succeed (additive increase,
/// multiplicative decrease).
///
/// Sporadic refusals (a gateway's passing 503, one 429 in many) cost only their own retry: the rate is
/// halved only when refusals are frequent among the latest answers (``refusalsToDecrease`` of the last
/// ``recentAnswers``), and, as TCP does with losses, at most once per window of requests in flight: the
/// refusals of requests sent before the last decrease belong to the congestion it answered. A refusal
/// that comes after a decrease, before the lower rate has proven itself, also pauses every request for
/// its `Retry-After`: sustained refusals back off hard.
public actor RateLimiter {
    /// Answers remembered to tell sporadic refusals from frequent ones.
    public static let recentAnswers = 50
    /// Refusals among the remembered answers that make a refusal count as congestion (24%). At 4 in 20
    /// (20% of fewer answers), the clusters that 5% of random 503s form now and then halved the rate
    /// twice in a 2,000-record run and cost it 30% of its time; a server limit that refuses a third or
    /// half of the requests still crosses 12 in 50 within a second or two.
    public static let refusalsToDecrease = 12

    /// How far ahead of its even slot a request may go: one request plus this much of the rate. A request
    /// that finds its slot a few milliseconds away goes at once instead of sleeping for it: each such sleep
    /// cost a paced call a wake-up of its own, about a third of its CPU at 200 requests/s (answers of the
    /// requests in flight come back close together, and each then waited for its own slot). Far below any
    /// server's burst (the contract's bucket holds two seconds of its rate).
    public static let pacingSlack: Duration = .milliseconds(20)

    /// The burst for a client paced at `rate` requests per second: one request plus ``pacingSlack`` of the rate.
    public static func pacingBurst(rate: Double) -> Double {
        1 + rate * pacingSlack.seconds
    }

    /// The ceiling, requests per second.
    public nonisolated let maxRate: Double
    /// The floor the rate never drops below.
    public let minRate: Double
    /// The rate in force.
    public private(set) var rate: Double
    /// Refusals that paused every request (sustained throttling), for tests and logs.
    public private(set) var pauses = 0
    /// Requests that had to wait for the budget, and the time they waited in all.
    public private(set) var waits = 0
    public private(set) var waited: Duration = .zero
    private var bucket: TokenBucket
    private var pausedUntil: ContinuousClock.Instant?
    private var successesSinceChange = 0
    /// Tickets handed out so far: each request attempt gets the next one.
    private var issued: UInt64 = 0
    /// `issued` at the last decrease: refusals of requests with a ticket up to it are the same event.
    private var decreasedAt: UInt64?
    /// Successes since the last decrease: a refusal before the lower rate has carried its own worth of
    /// requests means the throttling persists.
    private var successesSinceDecrease = 0
    /// The latest answers, true for a refusal, oldest first.
    private var answers: [Bool] = []
    /// How a request waits for its turn.
    private let sleep: @Sendable (Duration) async throws -> Void

    /// Creates a limiter at `maxRate` requests per second with `burst` requests of headroom; requests wait
    /// through `sleep` (default `Task.sleep`; a client on its own event loop waits on the loop's timer).
    public init(
        maxRate: Double, burst: Double? = nil, minRate: Double = 0.5,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.sleep = sleep
        let ceiling = max(maxRate, minRate)
        self.maxRate = ceiling
        self.minRate = minRate
        self.rate = ceiling
        self.bucket = TokenBucket(rate: ceiling, burst: burst ?? max(1, ceiling))
    }

    /// Waits until a request may go; returns the request's ticket (for ``throttled(ticket:retryAfter:)``).
    @discardableResult
    public func acquire() async throws -> UInt64 {
        issued += 1
        let ticket = issued
        let now = ContinuousClock.now
        var wait = bucket.reserve(now: now)
        if let pausedUntil, pausedUntil > now { wait = max(wait, pausedUntil - now) }
        if wait > .zero {
            waits += 1
            waited += wait
            try await sleep(wait)
        }
        return ticket
    }

    /// The server refused the request `ticket` with 429 or 503. When refusals are frequent: halve the rate,
    /// unless a decrease already answered the requests in flight with it; when they persist after a
    /// decrease, also pause every request for `retryAfter`.
    public func throttled(ticket: UInt64, retryAfter: Duration?) {
        remember(refused: true)
        guard answers.count { $0 } >= Self.refusalsToDecrease else { return }
        if let decreasedAt, ticket <= decreasedAt { return }
        let sustained = decreasedAt != nil && Double(successesSinceDecrease) < rate
        rate = max(minRate, rate / 2)
        bucket.rate = rate
        successesSinceChange = 0
        successesSinceDecrease = 0
        decreasedAt = issued
        if sustained, let retryAfter {
            pauses += 1
            let until = ContinuousClock.now.advanced(by: retryAfter)
            pausedUntil = max(pausedUntil ?? until, until)
        }
    }

    /// A request went through: after a rate's worth of successes, raise the rate by one request a second.
    public func succeeded() {
        remember(refused: false)
        successesSinceDecrease += 1
        guard rate < maxRate else { return }
        successesSinceChange += 1
        if Double(successesSinceChange) >= rate {
            rate = min(maxRate, rate + 1)
            bucket.rate = rate
            successesSinceChange = 0
        }
    }

    private func remember(refused: Bool) {
        answers.append(refused)
        if answers.count > Self.recentAnswers { answers.removeFirst() }
    }
}
