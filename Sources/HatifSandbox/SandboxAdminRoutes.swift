import Foundation
import HatifAPI
import Hummingbird

/// The admin surface under `/_sandbox/`, outside the contract: counts, export, load, reset, token
/// revocation and fault settings.
struct SandboxAdminRoutes: Sendable {
    let server: SandboxServer
    static let maxLoadBytes = 1 << 30

    func register(on router: Router<BasicRequestContext>) {
        let admin = router.group("_sandbox")
        admin.get("stats") { _, _ in try json(await server.statistics.snapshot()) }
        admin.delete("stats") { _, _ in
            await server.statistics.reset()
            return Response(status: .noContent)
        }
        admin.get("export") { _, _ in try json(await server.export()) }
        admin.post("reset") { _, _ in
            await server.reset()
            return Response(status: .noContent)
        }
        admin.post("load") { request, _ in
            let snapshot: SandboxSnapshot
            do {
                let buffer = try await request.body.collect(upTo: Self.maxLoadBytes)
                snapshot = try JSONDecoder.hatif().decode(SandboxSnapshot.self, from: Data(buffer.readableBytesView))
            } catch {
                return errorResponse(SandboxError.validation("Load.Invalid", "The body is not a sandbox snapshot: \(error)"))
            }
            do {
                try await server.load(snapshot)
            } catch {
                return errorResponse(ErrorMappingMiddleware.sandboxError(for: error))
            }
            return Response(status: .noContent)
        }
        admin.post("tokens/revoke") { _, _ in
            await server.revokeTokens()
            return Response(status: .noContent)
        }
        admin.get("faults") { _, _ in try json(await server.currentFaults()) }
        admin.put("faults") { request, _ in
            do {
                let buffer = try await request.body.collect(upTo: 1 << 16)
                let faults = try JSONDecoder().decode(FaultConfiguration.self, from: Data(buffer.readableBytesView))
                await server.setFaults(faults)
                return try json(faults)
            } catch {
                return errorResponse(SandboxError.validation("Faults.Invalid", "The body is not a fault configuration: \(error)"))
            }
        }
    }

    private func json(_ value: some Encodable) throws -> Response {
        let data = try JSONEncoder.hatif(pretty: true).encode(value)
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private func errorResponse(_ error: SandboxError) -> Response {
        var headers = HTTPFields()
        for field in error.httpHeaderFields { headers.append(field) }
        return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: error.body)))
    }
}
