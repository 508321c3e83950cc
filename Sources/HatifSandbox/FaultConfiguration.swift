/// The misbehaviour the sandbox injects, all driven by one seed so a test run repeats exactly.
public struct FaultConfiguration: Sendable, Equatable, Codable {
    /// The seed of every random choice. Default 1.
    public var seed: UInt64
    /// Latency added to every API request, in milliseconds. Default 0.
    public var latencyMilliseconds: Int
    /// Uniform jitter around the latency (± this many ms, never below zero). Default 0.
    public var jitterMilliseconds: Int
    /// Requests per second of the token bucket shared by all API endpoints; nil for no limit. Default 20.
    public var rateLimit: Double?
    /// The bucket's burst. Default 40.
    public var burst: Double
    /// Share of API requests answered 500, 0...1, after their body was read but without processing them
    /// (the client cannot tell). Default 0.
    public var error500Rate: Double
    /// Share of API requests answered 503 (with `Retry-After: 1`) at once, as a gateway would: without being
    /// processed and often before their body was read. Default 0.
    public var error503Rate: Double
    /// Share of API requests answered 429 (with `Retry-After: 1`) without being processed, on top of the
    /// rate limit. Default 0.
    public var error429Rate: Double
    /// Share of API requests processed and then answered by closing the connection. Default 0.
    public var dropRate: Double
    /// Per operation (`createBulkContactsVCards`, …), a drop rate that replaces `dropRate` for it. Default
    /// none.
    public var operationDropRates: [String: Double]
    /// The `Retry-After` of injected 503 answers, in seconds. Default 1.
    public var serviceUnavailableRetryAfter: Int

    /// Creates a fault configuration; every parameter has the documented default.
    public init(
        seed: UInt64 = 1, latencyMilliseconds: Int = 0, jitterMilliseconds: Int = 0, rateLimit: Double? = 20,
        burst: Double = 40, error500Rate: Double = 0, error503Rate: Double = 0, error429Rate: Double = 0, dropRate: Double = 0,
        operationDropRates: [String: Double] = [:], serviceUnavailableRetryAfter: Int = 1
    ) {
        self.operationDropRates = operationDropRates
        self.error429Rate = error429Rate
        self.serviceUnavailableRetryAfter = serviceUnavailableRetryAfter
        self.seed = seed
        self.latencyMilliseconds = latencyMilliseconds
        self.jitterMilliseconds = jitterMilliseconds
        self.rateLimit = rateLimit
        self.burst = burst
        self.error500Rate = error500Rate
        self.error503Rate = error503Rate
        self.dropRate = dropRate
    }

    /// No faults and no rate limit: what unit tests want.
    public static let none = FaultConfiguration(rateLimit: nil)

    private enum CodingKeys: String, CodingKey {
        case seed, latencyMilliseconds, jitterMilliseconds, rateLimit, burst, error500Rate, error503Rate, error429Rate, dropRate
        case operationDropRates, serviceUnavailableRetryAfter
    }

    /// Reads a configuration; a missing member takes its default (so `PUT /_sandbox/faults` may send a part).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = FaultConfiguration()
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? defaults.seed
        latencyMilliseconds = try container.decodeIfPresent(Int.self, forKey: .latencyMilliseconds) ?? defaults.latencyMilliseconds
        jitterMilliseconds = try container.decodeIfPresent(Int.self, forKey: .jitterMilliseconds) ?? defaults.jitterMilliseconds
        rateLimit = container.contains(.rateLimit) ? try container.decodeIfPresent(Double.self, forKey: .rateLimit) : defaults.rateLimit
        burst = try container.decodeIfPresent(Double.self, forKey: .burst) ?? defaults.burst
        error500Rate = try container.decodeIfPresent(Double.self, forKey: .error500Rate) ?? 0
        error503Rate = try container.decodeIfPresent(Double.self, forKey: .error503Rate) ?? 0
        error429Rate = try container.decodeIfPresent(Double.self, forKey: .error429Rate) ?? 0
        dropRate = try container.decodeIfPresent(Double.self, forKey: .dropRate) ?? 0
        operationDropRates = try container.decodeIfPresent([String: Double].self, forKey: .operationDropRates) ?? [:]
        serviceUnavailableRetryAfter =
            try container.decodeIfPresent(Int.self, forKey: .serviceUnavailableRetryAfter) ?? defaults.serviceUnavailableRetryAfter
    }
}
