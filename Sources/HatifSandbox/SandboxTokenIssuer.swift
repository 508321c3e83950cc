import Foundation
import HatifAPI

/// Issues and checks the sandbox's bearer tokens for its one accepted client.
actor SandboxTokenIssuer {
    private let clientID: String
    private let clientSecret: Secret
    private var lifetime: Duration
    private var tokens: [String: ContinuousClock.Instant] = [:]

    init(clientID: String, clientSecret: Secret, lifetime: Duration) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.lifetime = lifetime
    }

    /// The token call: a token for the right client, or the OAuth error to answer with 400.
    /// The answer to one token call.
    enum Outcome: Sendable {
        case issued(Components.Schemas.TokenResponse)
        case refused(Components.Schemas.OAuthError)
    }

    func issue(_ request: Components.Schemas.TokenRequest) -> Outcome {
        guard request.grantType == "client_credentials" else {
            return .refused(.init(error: "unsupported_grant_type", errorDescription: "Only client_credentials is supported."))
        }
        guard request.clientId == clientID, request.clientSecret == clientSecret.revealed else {
            return .refused(.init(error: "invalid_client", errorDescription: "Unknown client or wrong secret."))
        }
        if let scope = request.scope, !scope.split(separator: " ").allSatisfy({ $0 == "VoxaAPI" }) {
            return .refused(.init(error: "invalid_scope", errorDescription: "The only scope is VoxaAPI."))
        }
        let now = ContinuousClock.now
        tokens = tokens.filter { $0.value > now }
        var bytes = SystemRandomNumberGenerator()
        let value = "sbx_" + (0..<4).map { _ in String(bytes.next() as UInt64, radix: 16) }.joined()
        tokens[value] = now.advanced(by: lifetime)
        let seconds = max(1, lifetime.components.seconds)
        return .issued(.init(accessToken: value, tokenType: "Bearer", expiresIn: Int32(clamping: seconds), scope: "VoxaAPI"))
    }

    /// Whether `token` was issued here and has not expired or been revoked.
    func isValid(_ token: String) -> Bool {
        guard let expiry = tokens[token] else { return false }
        return ContinuousClock.now < expiry
    }

    /// Revokes every token: the next API call of every client gets 401.
    func revokeAll() { tokens = [:] }

    /// Changes the lifetime of tokens issued from now on.
    func setLifetime(_ lifetime: Duration) { self.lifetime = lifetime }
}
