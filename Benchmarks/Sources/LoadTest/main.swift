// Holds CONCURRENCY requests in flight against the sandbox for SECONDS: each of CONCURRENCY tasks loops
// over a mix of calls (create a contact, read it, update it, search, list). The sandbox runs in this
// process on loopback with 20 ms latency and 1% injected 503s, which the client retries. Prints JSON: calls,
// calls/s, latency percentiles, the most in flight at once, errors by kind (any is a failure), and the
// 503s the sandbox injected. Exits 1 on any error or when fewer than CONCURRENCY were ever in flight.
//
//     LoadTest [CONCURRENCY] [SECONDS]        (default 64 60)
import NIOPosix
import Foundation
import HatifAPI
import HatifSandbox
import Logging
import Synchronization

let arguments = CommandLine.arguments
let concurrency = arguments.count > 1 ? Int(arguments[1]) ?? 64 : 64
let seconds = arguments.count > 2 ? Int(arguments[2]) ?? 60 : 60

/// Calls in flight now and at most.
final class InFlight: Sendable {
    private let state = Mutex<(now: Int, peak: Int)>((0, 0))
    func enter() { state.withLock { $0.now += 1; $0.peak = max($0.peak, $0.now) } }
    func leave() { state.withLock { $0.now -= 1 } }
    var peak: Int { state.withLock { $0.peak } }
}

struct WorkerResult: Sendable {
    var calls = 0
    var latencies: [Double] = []
    var errors: [String: Int] = [:]
}

func measure() async throws {
    let faults = FaultConfiguration(seed: 11, latencyMilliseconds: 20, rateLimit: nil, error503Rate: 0.01)
    let logger = Logger(label: "load", factory: { _ in SwiftLogNoOpLogHandler() })
    let transport = HatifHTTPTransport(eventLoop: MultiThreadedEventLoopGroup.singleton.next(), maxConnections: concurrency)
    let inFlight = InFlight()
    try await SandboxServer.withRunning(configuration: SandboxConfiguration(faults: faults), logger: logger) { sandbox in
        let client = HatifClient(configuration: sandbox.clientConfiguration(), transport: transport, logger: logger)
        _ = try await client.createContactProperty(.init(name: "tier", displayName: "Tier", _type: .text))
        let deadline = ContinuousClock.now + .seconds(seconds)
        let started = ContinuousClock.now
        let results = try await withThrowingTaskGroup(of: WorkerResult.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var result = WorkerResult()
                    var step = 0
                    var mine: [String] = []
                    while ContinuousClock.now < deadline {
                        let begin = ContinuousClock.now
                        inFlight.enter()
                        do {
                            switch step % 5 {
                            case 0:
                                let phone = "+9665" + String(format: "%02d%06d", worker, step)
                                mine.append(try await client.createContact(.init(firstName: "W\(worker)", phoneNumber: phone)).id)
                            case 1: _ = try await client.getContact(id: mine[mine.count - 1])
                            case 2:
                                _ = try await client.updateContact(
                                    id: mine[mine.count - 1], .init(firstName: "U\(step)", phoneNumber: "+9665" + String(format: "%02d%06d", worker, step - 2),
                                    properties: [.init(name: "tier", value: "t\(step)")]))
                            case 3:
                                _ = try await client.searchContacts(
                                    SearchContactsInput(filterGroups: [SearchFilterGroup(filters: [SearchFilter(field: "FirstName", _operator: .equals, value: "U\(step - 1)")])], maxResultCount: 10))
                            default: _ = try await client.getContacts(skip: 0, max: 20)
                            }
                            result.calls += 1
                        } catch {
                            result.errors["\(type(of: error)): \(error)".prefix(120).description, default: 0] += 1
                            if step % 5 == 0 { step += 4 }  // the create failed: start the next round
                        }
                        inFlight.leave()
                        let elapsed = ContinuousClock.now - begin
                        result.latencies.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
                        step += 1
                    }
                    return result
                }
            }
            var all = WorkerResult()
            for try await result in group {
                all.calls += result.calls
                all.latencies += result.latencies
                all.errors.merge(result.errors, uniquingKeysWith: +)
            }
            return all
        }
        let elapsed = ContinuousClock.now - started
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let sorted = results.latencies.sorted()
        func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        let stats = await sandbox.server.statistics.snapshot()
        let injected503 = stats.operations.values.reduce(0) { $0 + ($1["503"] ?? 0) }
        let errors = results.errors.map { "\"\($0.key.replacingOccurrences(of: "\"", with: "'"))\":\($0.value)" }.joined(separator: ",")
        print(
            """
            {"concurrency":\(concurrency),"seconds":\(String(format: "%.1f", wall)),"calls":\(results.calls),\
            "callsPerSecond":\(Int(Double(results.calls) / wall)),"peakInFlight":\(inFlight.peak),\
            "latencyMs":{"p50":\(String(format: "%.1f", percentile(0.5))),"p99":\(String(format: "%.1f", percentile(0.99))),"max":\(String(format: "%.1f", sorted.last ?? 0))},\
            "injected503":\(injected503),"errors":{\(errors)}}
            """)
        passed = results.errors.isEmpty && inFlight.peak == concurrency
    }
    await transport.shutdown()
}

nonisolated(unsafe) var passed = false
try await measure()
if !passed {
    FileHandle.standardError.write(Data("load test failed: errors other than the injected ones, or fewer requests in flight than asked\n".utf8))
    exit(1)
}
