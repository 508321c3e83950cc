import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// Posts a run's JSON summary to a webhook when the run ends (`--notify URL`): a few attempts with a
/// short backoff, all within ``deadline``, so a dead or slow webhook never holds up the exit for longer.
/// The summary holds no secret (no client secret, token or state password); the URL itself is never
/// logged, since webhook URLs often carry a token in their path.
struct RunNotifier: Sendable {
    let url: URL
    /// The most the notification may take, attempts and waits together: under the 10 s the exit may be
    /// held up, with room for the process to end.
    var deadline: Duration = .seconds(9)
    var attempts = 3

    /// Sends `json`; true when the webhook answered 2xx.
    @discardableResult
    func send(_ json: String, logger: Logger) async -> Bool {
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: deadline)
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "hatif-import")
        for attempt in 1...attempts {
            let left = end - clock.now
            guard left > .milliseconds(50) else { break }
            request.body = .bytes(ByteBuffer(string: json))
            do {
                let response = try await HTTPClient.shared.execute(request, deadline: .now() + .nanoseconds(left.nanoseconds))
                _ = try? await response.body.collect(upTo: 64 * 1024)
                if (200..<300).contains(response.status.code) {
                    logger.info("notified the webhook", metadata: ["status": "\(response.status.code)"])
                    return true
                }
                logger.warning("the webhook refused the notification", metadata: ["status": "\(response.status.code)", "attempt": "\(attempt)"])
                if (400..<500).contains(response.status.code) && response.status != .tooManyRequests { return false }
            } catch {
                logger.warning("the notification did not reach the webhook", metadata: ["error": "\(type(of: error))", "attempt": "\(attempt)"])
            }
            let pause = Duration.seconds(attempt)
            guard attempt < attempts, end - clock.now > pause else { break }
            try? await Task.sleep(for: pause)
        }
        logger.warning("gave up notifying the webhook (--notify)")
        return false
    }
}

extension Duration {
    /// The duration in whole nanoseconds.
    var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}
