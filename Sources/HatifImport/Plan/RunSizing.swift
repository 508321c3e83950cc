import HatifAPI

/// How many requests a run takes and how long: the estimate a dry run makes from its plan (and a run from
/// its own, beside what it sent), with the pacing it assumes.
public struct RunSizing: Sendable, Hashable, Codable {
    /// The requests the plan needs, by kind.
    public var estimate: RequestSizing
    /// The mean answer time of the requests measured while planning, in milliseconds.
    public var latencyMilliseconds: Double
    /// `--max-rps` (nil: no limit) and `--concurrency`.
    public var maxRequestsPerSecond: Double?
    public var concurrency: Int
    /// The time the estimate takes at that pace, in seconds.
    public var estimatedSeconds: Double
    /// A run: the requests it sent, by kind, first attempts only; the attempts that were retries and the
    /// requests of recoveries from faults (finding what a bulk call of unknown outcome made, sending its
    /// cards again), counted apart.
    public var actual: RequestSizing?
    public var retries: Int?
    public var recoveries: Int?

    /// Sizes `estimate` at the given pace.
    public init(estimate: RequestSizing, latency: Duration?, maxRequestsPerSecond: Double?, concurrency: Int) {
        self.estimate = estimate
        let latency = latency ?? Self.assumedLatency
        latencyMilliseconds = (latency.seconds * 1000 * 10).rounded() / 10
        self.maxRequestsPerSecond = maxRequestsPerSecond
        self.concurrency = concurrency
        estimatedSeconds = estimate.duration(maxRequestsPerSecond: maxRequestsPerSecond, concurrency: concurrency, latency: latency).seconds
    }

    /// The answer time assumed when no request was measured.
    static let assumedLatency = Duration.milliseconds(100)

    /// The time at another `--max-rps`.
    public func seconds(atMaxRequestsPerSecond rate: Double?) -> Double {
        estimate.duration(maxRequestsPerSecond: rate, concurrency: concurrency, latency: .nanoseconds(Int64(latencyMilliseconds * 1e6))).seconds
    }

    /// The dry run's line: `1,400,000 creates in 2,800 bulk files, …: 906,800 requests, about 12 h 35 min at
    /// --max-rps 20, 1 h 16 min at 200`.
    public var line: String {
        let now = RequestSizing.spoken(.milliseconds(Int64(estimatedSeconds * 1000)))
        guard let rate = maxRequestsPerSecond else { return estimate.line + ", about \(now) with no --max-rps at \(concurrency) in flight" }
        let faster = rate * 10
        let then = RequestSizing.spoken(.milliseconds(Int64(seconds(atMaxRequestsPerSecond: faster) * 1000)))
        return estimate.line + ", about \(now) at --max-rps \(Self.rate(rate)), \(then) at \(Self.rate(faster))"
    }

    /// The run's line: estimate beside actual.
    public var comparison: String? {
        guard let actual else { return nil }
        let difference = estimate.total == 0 ? 0 : Double(actual.total - estimate.total) / Double(estimate.total) * 100
        let sign = difference >= 0 ? "+" : ""
        return "Requests: \(RequestSizing.grouped(actual.total)) sent, \(RequestSizing.grouped(estimate.total)) estimated from the plan (\(sign)\(String(format: "%.1f", difference))%); "
            + "\(RequestSizing.grouped(retries ?? 0)) retries and \(RequestSizing.grouped(recoveries ?? 0)) recovery requests not counted."
    }

    static func rate(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(value) }
}
