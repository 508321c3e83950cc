import Foundation

/// The service account's OAuth 2.0 client credentials.
public struct ClientCredentials: Sendable, CustomStringConvertible {
    /// The client id (not secret).
    public var clientID: String
    /// The client secret; prints as `<redacted>`.
    public var clientSecret: Secret
    /// The OAuth scope to ask for.
    public var scope: String

    /// Creates credentials; `scope` defaults to `VoxaAPI`.
    public init(clientID: String, clientSecret: Secret, scope: String = "VoxaAPI") {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.scope = scope
    }

    public var description: String { "ClientCredentials(clientID: \(clientID), clientSecret: <redacted>)" }

    /// Reads a secret from a file, dropping one trailing newline; the file must not be empty.
    public static func readSecret(fromFile path: String) throws(CredentialsError) -> Secret {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadableSecretFile(path: path, reason: "\(error.localizedDescription)")
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw .unreadableSecretFile(path: path, reason: "not UTF-8 text")
        }
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        guard !text.isEmpty else { throw .unreadableSecretFile(path: path, reason: "the file is empty") }
        return Secret(text)
    }
}

/// Why client credentials could not be assembled.
public enum CredentialsError: Error, Sendable, CustomStringConvertible {
    /// The secret file could not be read.
    case unreadableSecretFile(path: String, reason: String)
    /// An API URL was given but no client id.
    case missingClientID
    /// An API URL was given but no secret.
    case missingClientSecret

    public var description: String {
        switch self {
        case .unreadableSecretFile(let path, let reason):
            "Cannot read the client secret from \(path): \(reason)."
        case .missingClientID:
            "No client id: set HATIF_CLIENT_ID or pass --client-id."
        case .missingClientSecret:
            "No client secret: set HATIF_CLIENT_SECRET or pass --client-secret-file FILE (never the secret itself on the command line)."
        }
    }
}
