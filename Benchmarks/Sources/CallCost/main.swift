// Client CPU per API call, layer by layer, against a server in another process (the sandbox served on a
// port): CALLS Update Contact calls on CONCURRENCY tasks, first through HatifClient (middlewares, transport,
// as a run sends them, through HatifHTTPTransport's pool on SwiftNIO), then as the same requests sent straight
// through AsyncHTTPClient's async API and its event-loop-future API (the peer the transport replaced), and
// through SwiftNIO's HTTP/1.1 codec alone on one keep-alive connection per task (the floor of any client on NIO). Prints process CPU µs per call of each,
// and the wall seconds each took, as JSON. With --on-loop, all run on one event loop of their own, the tasks preferring it as their executor
// (so no hop between the cooperative pool and the loop's thread on each call), as the command line runs them.
//
//     CallCost URL [CALLS] [CONCURRENCY] [--on-loop]        (default 5000 4)
import AsyncHTTPClient
import Foundation
import HatifAPI
import Logging
import NIOCore
import NIOHTTP1
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

/// What `calls` runs of a call cost: process CPU µs per call, and the wall seconds they took.
struct Cost {
    var cpuMicrosecondsPerCall: Double
    var wallSeconds: Double
}

/// What `calls` runs of `call` on `concurrency` tasks cost.
func measure(calls: Int, concurrency: Int, on preferred: (any TaskExecutor)? = nil, _ call: @escaping @Sendable (Int) async throws -> Void) async throws -> Cost {
    let start = cpuSeconds()
    let began = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for task in 0..<concurrency {
            group.addTask(executorPreference: preferred) {
                for index in stride(from: task, to: calls, by: concurrency) { try await call(index) }
            }
        }
        try await group.waitForAll()
    }
    let wall = ContinuousClock.now - began
    return Cost(
        cpuMicrosecondsPerCall: (cpuSeconds() - start) / Double(calls) * 1e6,
        wallSeconds: Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18)
}

/// An answer other than 200 to a direct call.
struct CallError: Error, CustomStringConvertible {
    var status: UInt
    var body: String
    var description: String { "HTTP \(status): \(body)" }
}

/// A request and the promise its response completes.
struct RequestWithPromise {
    var head: HTTPRequestHead
    var body: ByteBuffer
    var promise: EventLoopPromise<(HTTPResponseHead, ByteBuffer)>
}

/// Sends requests one at a time on its connection and completes each one's promise with the whole response.
final class ResponseHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = RequestWithPromise
    typealias OutboundOut = HTTPClientRequestPart
    private var waiting: [EventLoopPromise<(HTTPResponseHead, ByteBuffer)>] = []
    private var head: HTTPResponseHead?
    private var body = ByteBuffer()
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        waiting.append(request.promise)
        context.write(wrapOutboundOut(.head(request.head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(request.body))), promise: nil)
        context.write(wrapOutboundOut(.end(nil)), promise: promise)
    }
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head; body.clear()
        case .body(var part): body.writeBuffer(&part)
        case .end:
            if let head, !waiting.isEmpty { waiting.removeFirst().succeed((head, body)) }
        }
    }
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
    let transport = HatifHTTPTransport(
        eventLoop: onLoop ? group.next() : MultiThreadedEventLoopGroup.singleton.next(), maxConnections: concurrency)
    let client = HatifClient(
        configuration: HatifClientConfiguration(
            apiURL: url, credentials: ClientCredentials(clientID: "sandbox", clientSecret: Secret("sandbox-secret"))),
        transport: transport, logger: logger)
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
    let viaFuture = try await measure(calls: calls, concurrency: concurrency, on: onLoop ? executor : nil) { index in
        let request = try HTTPClient.Request(
            url: "\(base)/v1/contacts/\(ids[index % concurrency])", method: .PUT,
            headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"],
            body: .byteBuffer(ByteBuffer(string: #"{"FirstName":"Name\#(index)","PhoneNumber":"\#(phone(index % concurrency))"}"#)))
        let response = try await http.execute(request: request).get()
        guard response.status == .ok else { throw CallError(status: response.status.code, body: "") }
    }
    // Raw NIO: one keep-alive connection per task, HTTP/1.1 codec, one promise per response.
    let nioGroup = onLoop ? group : MultiThreadedEventLoopGroup.singleton
    var channels: [any Channel] = []
    for _ in 0..<concurrency {
        let channel = try await ClientBootstrap(group: nioGroup).channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHTTPClientHandlers()
                try channel.pipeline.syncOperations.addHandler(ResponseHandler())
            }
        }.connect(host: url.host ?? "127.0.0.1", port: url.port ?? 80).get()
        channels.append(channel)
    }
    let channelList = channels
    let host = url.host ?? "127.0.0.1"
    let viaNIO = try await measure(calls: calls, concurrency: concurrency, on: onLoop ? executor : nil) { index in
        let channel = channelList[index % concurrency]
        let body = ByteBuffer(string: #"{"FirstName":"Name\#(index)","PhoneNumber":"\#(phone(index % concurrency))"}"#)
        var head = HTTPRequestHead(version: .http1_1, method: .PUT, uri: "/v1/contacts/\(ids[index % concurrency])")
        head.headers.add(name: "Host", value: host)
        head.headers.add(name: "Authorization", value: "Bearer \(token)")
        head.headers.add(name: "Content-Type", value: "application/json")
        head.headers.add(name: "Content-Length", value: "\(body.readableBytes)")
        let promise = channel.eventLoop.makePromise(of: (HTTPResponseHead, ByteBuffer).self)
        channel.writeAndFlush(RequestWithPromise(head: head, body: body, promise: promise), promise: nil)
        let (response, _) = try await promise.futureResult.get()
        guard response.status == .ok else { throw CallError(status: response.status.code, body: "") }
    }
    for channel in channels { try await channel.close() }
    await transport.shutdown()
    try await http.shutdown()
    try await group.shutdownGracefully()
    func µs(_ cost: Cost) -> String { String(format: "%.0f", cost.cpuMicrosecondsPerCall) }
    func seconds(_ cost: Cost) -> String { String(format: "%.2f", cost.wallSeconds) }
    print(
        #"{"calls":\#(calls),"concurrency":\#(concurrency),"onLoop":\#(onLoop),"clientMicrosecondsPerCall":\#(µs(viaClient)),"#
            + #""httpMicrosecondsPerCall":\#(µs(viaHTTP)),"futureMicrosecondsPerCall":\#(µs(viaFuture)),"nioMicrosecondsPerCall":\#(µs(viaNIO)),"#
            + #""clientWallSeconds":\#(seconds(viaClient)),"httpWallSeconds":\#(seconds(viaHTTP)),"futureWallSeconds":\#(seconds(viaFuture)),"#
            + #""nioWallSeconds":\#(seconds(viaNIO))}"#)
}

do {
    try await main()
} catch {
    FileHandle.standardError.write(Data("CallCost: \(error)\n".utf8))
    exit(1)
}
