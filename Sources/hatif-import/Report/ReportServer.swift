import Foundation
import HatifAPI
import HatifImport
import Hummingbird
import NIOCore
import NIOPosix

/// The local server of `report serve`: the page at `/`, and `/api/records` that pages, filters and searches
/// the indexed report (``ReportIndex``) on a thread of the blocking-I/O pool.
struct ReportServer: Sendable {
    let index: ReportIndex
    let redact: Bool
    /// Rows per page.
    static let pageSize = 100

    /// Serves until SIGINT or SIGTERM; `onRunning` gets the bound port.
    func run(host: String, port: Int, onRunning: @escaping @Sendable (Int) async -> Void) async throws {
        let application = Application(
            router: router(),
            configuration: .init(address: .hostname(host, port: port), serverName: "hatif-import-report"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) })
        try await application.runService(gracefulShutdownSignals: [.sigint, .sigterm])
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        let index = self.index
        let redact = self.redact
        let summary = (try? String(contentsOf: index.folder.appending(path: "summary.json"), encoding: .utf8)) ?? "{}"
        router.get("/") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: ReportServerPage.html)))
        }
        router.get("/api/summary") { _, _ in
            let description = index.description
            let counts = description.counts.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",")
            let body = "{\"mode\":\"\(description.mode)\",\"records\":\(description.records),\"counts\":{\(counts)},\"redacted\":\(redact),\"summary\":\(summary)}"
            return Self.json(body)
        }
        router.get("/api/records") { request, _ in
            let parameters = request.uri.queryParameters
            let kind = parameters.get("kind").flatMap { $0 == "all" || $0.isEmpty ? nil : $0 }
            let asked = parameters.get("q") ?? ""
            let page = parameters.get("page").flatMap { Int($0) } ?? 0
            // A redacted page searches by place only: the masked values must not be found by their real text.
            let query = redact && (!asked.contains(":") || asked.contains(where: \.isWhitespace)) ? "" : asked
            let started = ContinuousClock.now
            let found = try await NIOThreadPool.singleton.runIfActive {
                try index.page(kind: kind, query: query, page: page, pageSize: Self.pageSize)
            }
            let redactor = Redactor()
            let rows = found.entries.map { number, entry in
                "{\"number\":\(number),\"entry\":\((redact ? redactor.redact(entry) : entry).json)}"
            }
            let milliseconds = (ContinuousClock.now - started).seconds * 1000
            return Self.json(
                "{\"total\":\(found.total),\"page\":\(page),\"pageSize\":\(Self.pageSize),\"milliseconds\":\(String(format: "%.1f", milliseconds)),\"rows\":[\(rows.joined(separator: ","))]}"
            )
        }
        return router
    }

    static func json(_ text: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
