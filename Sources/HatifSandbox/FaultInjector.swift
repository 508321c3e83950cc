import HatifAPI

/// Decides, request by request and from one seed, what misbehaviour the sandbox adds.
actor FaultInjector {
    /// What to do with one request.
    struct Decision: Sendable {
        enum Outcome: Sendable {
            /// Process it; when `drop`, close the connection instead of answering.
            case process(drop: Bool)
            /// Answer 429 without processing.
            case rateLimited(retryAfterSeconds: Int)
            /// Answer this 5xx status without processing (503 with `Retry-After`).
            case serverError(status: Int, retryAfterSeconds: Int?)
        }
        var latency: Duration
        var outcome: Outcome
    }

    private(set) var configuration: FaultConfiguration
    private var generator: SeededGenerator
    private var bucket: TokenBucket?

    init(configuration: FaultConfiguration) {
        self.configuration = configuration
        self.generator = SeededGenerator(seed: configuration.seed)
        self.bucket = configuration.rateLimit.map { TokenBucket(rate: $0, burst: configuration.burst) }
    }

    /// Replaces the configuration (and restarts the seed and the bucket).
    func update(_ configuration: FaultConfiguration) {
        self.configuration = configuration
        generator = SeededGenerator(seed: configuration.seed)
        bucket = configuration.rateLimit.map { TokenBucket(rate: $0, burst: configuration.burst) }
    }

    /// The misbehaviour for one request of `operation`.
    func decide(operation: String) -> Decision {
        let jitter = configuration.jitterMilliseconds > 0
            ? Int.random(in: -configuration.jitterMilliseconds...configuration.jitterMilliseconds, using: &generator) : 0
        let latency = Duration.milliseconds(max(0, configuration.latencyMilliseconds + jitter))
        if let wait = bucket?.take(now: .now) {
            let seconds = max(1, Int(wait.seconds.rounded(.up)))
            return Decision(latency: latency, outcome: .rateLimited(retryAfterSeconds: seconds))
        }
        let roll = Double.random(in: 0..<1, using: &generator)
        if roll < configuration.error500Rate { return Decision(latency: latency, outcome: .serverError(status: 500, retryAfterSeconds: nil)) }
        if roll < configuration.error500Rate + configuration.error503Rate {
            return Decision(
                latency: latency,
                outcome: .serverError(status: 503, retryAfterSeconds: configuration.serviceUnavailableRetryAfter))
        }
        if roll < configuration.error500Rate + configuration.error503Rate + configuration.error429Rate {
            return Decision(latency: latency, outcome: .rateLimited(retryAfterSeconds: 1))
        }
        let drop = Double.random(in: 0..<1, using: &generator) < (configuration.operationDropRates[operation] ?? configuration.dropRate)
        return Decision(latency: latency, outcome: .process(drop: drop))
    }
}
