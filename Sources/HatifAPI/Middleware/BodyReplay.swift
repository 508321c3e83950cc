import OpenAPIRuntime

/// Makes request bodies safe to send more than once.
enum BodyReplay {
    /// Largest body buffered for a repeat: the bulk vCard limit (5 MiB) with room for multipart framing.
    static let maxBufferedBytes = 8 << 20

    /// Largest response body read into memory: a page of 1,000 contacts with many properties fits easily.
    static let maxResponseBytes = 64 << 20

    /// The whole response body in memory; throws when the connection ends before the body does.
    static func buffered(_ body: HTTPBody?) async throws -> HTTPBody? {
        guard let body else { return nil }
        return HTTPBody(try await ArraySlice<UInt8>(collecting: body, upTo: maxResponseBytes))
    }

    /// The body itself when it can be iterated again, else a buffered copy.
    static func replayable(_ body: HTTPBody?) async throws -> HTTPBody? {
        guard let body, body.iterationBehavior == .single else { return body }
        let bytes = try await ArraySlice<UInt8>(collecting: body, upTo: maxBufferedBytes)
        return HTTPBody(bytes)
    }
}
