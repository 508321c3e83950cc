// Client CPU per API call, layer by layer, against a server in another process (the sandbox served on a
// port): CALLS Update Contact calls on CONCURRENCY tasks, first through HatifClient (the generated OpenAPI
// client with its middlewares, as a run sends them), then as the same requests sent straight through
// AsyncHTTPClient (the floor any client on it has). Prints process CPU µs per call of each as JSON.
// With --on-loop, both run on one event loop of their own, the tasks preferring it as their executor (so
// no hop between the cooperative pool and the loop's thread on each call), to measure what that saves.
//
//     CallCost URL [CALLS] [CONCURRENCY] [--on-loop]        (default 5000 4)
import AsyncHTTPClient
import Foundation
import HatifAPI
import Logging
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
        + Double(usage.ru_stime.tv_usec) / 1e6
}

/// CPU µs per call of `calls` runs of `call` on `concurrency` tasks.
func measure(calls: Int, concurrency: Int, on preferred: (any TaskExecutor)? = nil, _ call: @escaping @Sendable (Int) async throws -> Void) async throws -> Double {
    let start = cpuSeconds()
    try await withThrowingTaskGroup(of: Void.self) { group in
        for task in 0..<concurrency {
            group.addTask(executorPreference: preferred) {
                for index in stride(from: task, to: calls, by: concurrency) { try await call(index) }
            }
        }
        try await group.waitForAll()
    }
    return (cpuSeconds() - start) / Double(calls) * 1e6
}

/// Runs jobs on one event loop: tasks that prefer it run their nonisolated async code on the loop's
/// thread, where AsyncHTTPClient's channel handlers run, instead of hopping to the cooperative pool.
final class EventLoopTaskExecutor: TaskExecutor, @unchecked Sendable {
    let eventLoop: any EventLoop
    init(_ eventLoop: any EventLoop) { self.eventLoop = eventLoop }
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// An answer other than 200 to a direct call.
struct CallError: Error, CustomStringConvertible {
    var status: UInt
    var body: String
    var description: String { "HTTP \(status): \(body)" }
}

/// The phone number of the contact of task `index`.
func phone(_ index: Int) -> String { "+9665001\(11000 + index)" }

func main() async throws {
    let arguments = CommandLine.arguments
    guard arguments.count >= 2, let url = URL(string: arguments[1]) else {
        FileHandle.standardError.write(Data("usage: CallCost URL [CALLS] [CONCURRENCY]\n".utf8))
        exit(2)
    }
    let numbers = arguments.dropFirst(2).filter { !$0.hasPrefix("--") }.compactMap { Int($0) }
    let calls = numbers.first ?? 5000
    let concurrency = numbers.dropFirst().first ?? 4
    var configuration = HTTPClient.Configuration()
    configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency)
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let onLoop = arguments.contains("--on-loop")
    let http = onLoop ? HTTPClient(eventLoopGroup: group, configuration: configuration) : HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    let executor = EventLoopTaskExecutor(group.next())
    let logger = Logger(label: "callcost", factory: { _ in SwiftLogNoOpLogHandler() })
    let client = HatifClient(
        configuration: HatifClientConfiguration(
            apiURL: url, credentials: ClientCredentials(clientID: "sandbox", clientSecret: Secret("sandbox-secret"))),
        httpClient: http, logger: logger)
    let ids = try await withThrowingTaskGroup(of: String.self) { group in
        for index in 0..<concurrency {
            group.addTask { try await client.createContact(ContactInput(firstName: "Call", phoneNumber: phone(index))).id }
        }
        return try await group.reduce(into: []) { $0.append($1) }
    }
    // Warm both paths up (connections, token), then measure.
    _ = try await measure(calls: 4 * concurrency, concurrency: concurrency) { index in
        _ = try await client.updateContact(id: ids[index % concurrency], ContactInput(firstName: "Warm\(index)", phoneNumber: phone(index % concurrency)))
    }
    let viaClient = try await measure(calls: calls, concurrency: concurrency, on: onLoop ? executor : nil) { index in
        _ = try await client.updateContact(id: ids[index % concurrency], ContactInput(firstName: "Name\(index)", phoneNumber: phone(index % concurrency)))
    }
    let token = try await client.tokens.token().value.revealed
    let base = url.absoluteString.hasSuffix("/") ? String(url.absoluteString.dropLast()) : url.absoluteString
    let viaHTTP = try await measure(calls: calls, concurrency: concurrency, on: onLoop ? executor : nil) { index in
        var request = HTTPClientRequest(url: "\(base)/v1/contacts/\(ids[index % concurrency])")
        request.method = .PUT
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"FirstName":"Name\#(index)","PhoneNumber":"\#(phone(index % concurrency))"}"#))
        let response = try await http.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else { throw CallError(status: response.status.code, body: String(buffer: body)) }
    }
    try await http.shutdown()
    try await group.shutdownGracefully()
    print(
        #"{"calls":\#(calls),"concurrency":\#(concurrency),"onLoop":\#(onLoop),"clientMicrosecondsPerCall":\#(String(format: "%.0f", viaClient)),"#
            + #""httpMicrosecondsPerCall":\#(String(format: "%.0f", viaHTTP))}"#)
}

do {
    try await main()
} catch {
    FileHandle.standardError.write(Data("CallCost: \(error)\n".utf8))
    exit(1)
}
