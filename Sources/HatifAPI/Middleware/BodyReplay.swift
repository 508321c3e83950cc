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

    /// The body itself when it can be iterated again and its length is known, else a buffered copy: a
    /// body of unknown length (a multipart upload) would go out with chunked transfer encoding, which
    /// some gateways refuse (411 Length Required), although its size is known before sending.
    static func replayable(_ body: HTTPBody?) async throws -> HTTPBody? {
        guard let body else { return nil }
        if body.iterationBehavior == .multiple, case .known = body.length { return body }
        let bytes = try await ArraySlice<UInt8>(collecting: body, upTo: maxBufferedBytes)
        return HTTPBody(bytes)
    }
}
