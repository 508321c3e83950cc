import Foundation
import Hummingbird
import NIOCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A local webhook for tests: a server that records the body of every POST to `/hook`.
public enum WebhookReceiver {
    /// What the webhook received so far.
    public final class Received: Sendable {
        private let bodies = Mutex<[String]>([])
        /// The bodies, in the order they came.
        public var all: [String] { bodies.withLock { $0 } }
        func append(_ body: String) { bodies.withLock { $0.append(body) } }
    }

    /// Runs `body` with a webhook that answers every POST with `status`.
    public static func withRunning<T: Sendable>(
        status: HTTPResponse.Status = .noContent, _ body: (URL, Received) async throws -> T
    ) async throws -> T {
        let received = Received()
        let router = Router()
        router.post("hook") { request, _ -> HTTPResponse.Status in
            let buffer = try await request.body.collect(upTo: 1 << 20)
            received.append(String(buffer: buffer))
            return status
        }
        let (ports, port) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in port.yield(channel.localAddress?.port ?? 0) })
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            guard let number = await iterator.next(), let url = URL(string: "http://127.0.0.1:\(number)/hook") else {
                group.cancelAll()
                throw CLIProcessError.outputMissing("the webhook server did not start")
            }
            do {
                let result = try await body(url, received)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }
}

/// A TCP port that accepts connections and never answers: a webhook that hangs. A thread of its own
/// accepts and notes the time, so a busy test process cannot make the time late.
public final class SilentListener: Sendable {
    /// The port it listens on, on 127.0.0.1.
    public let port: Int
    private let socket: Int32
    private let accepted = Shared<[(connection: Int32, at: ContinuousClock.Instant)]>([])

    /// When the first client connected, if one did.
    public var firstConnection: ContinuousClock.Instant? { accepted.value.first?.at }

    public init() throws {
        let (fd, port) = try ClosedPort.bindLoopback(listening: true)
        socket = fd
        self.port = port
        let accepted = self.accepted
        Thread {
            while true {
                let connection = accept(fd, nil, nil)
                guard connection >= 0 else { return }  // the socket was shut down
                let now = ContinuousClock.now
                accepted.update { $0.append((connection, now)) }
            }
        }.start()
    }

    deinit {
        shutdown(socket, Int32(SHUT_RDWR))
        for entry in accepted.value { close(entry.connection) }
        close(socket)
    }
}

/// When a started process exits, noted by a thread of its own.
public final class ExitClock: Sendable {
    private let exited = Shared<ContinuousClock.Instant?>(nil)

    /// When the process exited, once it did.
    public var exitedAt: ContinuousClock.Instant? { exited.value }

    public init(_ process: Process) {
        let exited = self.exited
        Thread {
            process.waitUntilExit()
            let now = ContinuousClock.now
            exited.update { $0 = now }
        }.start()
    }
}

/// A value that threads share by reference.
final class Shared<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    var value: Value { mutex.withLock { $0 } }
    func update(_ body: (inout Value) -> Void) { mutex.withLock { body(&$0) } }
}
