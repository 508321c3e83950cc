import Foundation
import HTTPTypes
import Logging
import OpenAPIRuntime

/// Asks the auth server for a token with the OAuth 2.0 client-credentials grant (RFC 6749 §4.4).
///
/// The token URL is configured on its own (it need not sit under the API base URL), so this call is built
/// by hand instead of through the generated client; it still goes through the same transport, retry and
/// logging middlewares as every API call.
public struct OAuthTokenClient: Sendable {
    /// The operation id of the token call in the OpenAPI document.
    public static let operationID = "requestToken"

    private let tokenURL: URL
    private let credentials: ClientCredentials
    /// The middlewares and transport, with the token URL's scheme, host and port as the base.
    private let chain: MiddlewareChain

    /// Creates a token client for `tokenURL`.
    public init(
        tokenURL: URL, credentials: ClientCredentials, transport: any ClientTransport,
        middlewares: [any ClientMiddleware] = []
    ) {
        self.tokenURL = tokenURL
        self.credentials = credentials
        self.chain = MiddlewareChain(serverURL: Self.split(tokenURL).0, transport: transport, middlewares: middlewares)
    }

    /// Fetches a new token.
    public func fetchToken() async throws(HatifAPIError) -> AccessToken {
        var request = HTTPRequest(method: .post, scheme: nil, authority: nil, path: Self.split(tokenURL).1)
        request.headerFields[.contentType] = "application/x-www-form-urlencoded"
        request.headerFields[.accept] = "application/json"
        let form = [
            ("grant_type", "client_credentials"), ("client_id", credentials.clientID),
            ("client_secret", credentials.clientSecret.revealed), ("scope", credentials.scope),
        ]
        let body = HTTPBody(Self.formEncode(form))

        // The server starts the token's lifetime when it issues it: count it from before the request went,
        // not from when the answer arrived (a slow token call would otherwise outlive its token).
        let requested = ContinuousClock.now
        let response: HTTPResponse
        let data: Data
        do {
            (response, data) = try await send(request, body: body)
        } catch {
            throw .authentication(failure(status: nil, oauthError: nil, reason: "\(error)"))
        }
        guard response.status == .ok else {
            let oauth = try? JSONDecoder().decode(Components.Schemas.OAuthError.self, from: data)
            throw .authentication(
                failure(
                    status: response.status.code, oauthError: oauth?.error,
                    reason: oauth?.errorDescription ?? response.status.reasonPhrase))
        }
        do {
            let grant = try JSONDecoder().decode(Components.Schemas.TokenResponse.self, from: data)
            guard grant.tokenType.caseInsensitiveCompare("Bearer") == .orderedSame, grant.expiresIn > 0 else {
                throw HatifAPIError.invalidResponse(
                    operation: Self.operationID, status: 200,
                    reason: "token_type \(grant.tokenType), expires_in \(grant.expiresIn)", requestID: nil)
            }
            return AccessToken(value: Secret(grant.accessToken), lifetime: .seconds(grant.expiresIn), now: requested)
        } catch let error as HatifAPIError {
            throw error
        } catch {
            throw .invalidResponse(
                operation: Self.operationID, status: 200, reason: "the token response does not decode",
                requestID: nil)
        }
    }

    private func failure(status: Int?, oauthError: String?, reason: String) -> AuthenticationFailure {
        let (baseURL, path) = Self.split(tokenURL)
        return AuthenticationFailure(
            tokenURL: baseURL.absoluteString + path, status: status, oauthError: oauthError, reason: reason)
    }

    private func send(_ request: HTTPRequest, body: HTTPBody) async throws -> (HTTPResponse, Data) {
        let (response, responseBody) = try await chain.send(request, body: body, operationID: Self.operationID)
        guard let responseBody else { return (response, Data()) }
        return (response, try await Data(collecting: responseBody, upTo: 1 << 20))
    }

    /// Splits a full URL into the base (scheme, host, port) and the path with its query.
    static func split(_ url: URL) -> (URL, String) {
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false) ?? URLComponents()
        let path = (components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath)
            + (components.percentEncodedQuery.map { "?\($0)" } ?? "")
        components.percentEncodedPath = ""
        components.percentEncodedQuery = nil
        components.fragment = nil
        components.user = nil
        components.password = nil
        return (components.url ?? url, path)
    }

    /// `application/x-www-form-urlencoded` per the WHATWG URL standard.
    static func formEncode(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(.init(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "*-._ ")
        func encode(_ text: String) -> String {
            (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "").replacingOccurrences(of: " ", with: "+")
        }
        return pairs.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }
}
