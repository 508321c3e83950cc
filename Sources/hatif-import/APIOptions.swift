import ArgumentParser
import Foundation
import HatifAPI
import HatifImport

/// Where the API is and who we are; each option falls back to an environment variable.
struct APIOptions: ParsableArguments {
    @Option(name: .customLong("api-url"), help: "Voxa API base URL (env HATIF_API_URL). Unset: embedded sandbox.")
    var apiURL: String?

    @Option(name: .customLong("token-url"), help: "OAuth token URL (env HATIF_TOKEN_URL). Default: <api-url>/connect/token.")
    var tokenURL: String?

    @Option(name: .customLong("client-id"), help: "OAuth client id (env HATIF_CLIENT_ID).")
    var clientID: String?

    @Option(
        name: .customLong("client-secret-file"),
        help: "File holding the OAuth client secret (else env HATIF_CLIENT_SECRET, else the systemd credential client-secret). Never pass the secret itself.")
    var clientSecretFile: String?

    /// The connection settings, from options first and the environment second.
    func connectionConfiguration(environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> APIConnection.Configuration
    {
        let apiURL = try url(apiURL ?? environment["HATIF_API_URL"], option: "--api-url")
        let tokenURL = try url(tokenURL ?? environment["HATIF_TOKEN_URL"], option: "--token-url")
        var secret: Secret?
        if let clientSecretFile {
            secret = try ClientCredentials.readSecret(fromFile: clientSecretFile)
        } else if let value = environment["HATIF_CLIENT_SECRET"], !value.isEmpty {
            secret = Secret(value)
        } else if let directory = environment["CREDENTIALS_DIRECTORY"], FileManager.default.fileExists(atPath: directory + "/client-secret") {
            // systemd's LoadCredential=client-secret:… (the packaged hatif-import@.service).
            secret = try ClientCredentials.readSecret(fromFile: directory + "/client-secret")
        }
        return APIConnection.Configuration(
            apiURL: apiURL, tokenURL: tokenURL, clientID: clientID ?? environment["HATIF_CLIENT_ID"], clientSecret: secret)
    }

    private func url(_ text: String?, option: String) throws -> URL? {
        guard let text, !text.isEmpty else { return nil }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            url.host != nil
        else {
            throw ValidationError("\(option) must be an http(s) URL, got \"\(text)\".")
        }
        return url
    }
}
