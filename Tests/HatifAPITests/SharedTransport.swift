import AsyncHTTPClient
import HatifAPI

/// The async-http-client transport on the shared client, for tests that build a client by hand.
enum SharedTransport {
    static let shared = HatifHTTPTransport(client: .shared)
}
