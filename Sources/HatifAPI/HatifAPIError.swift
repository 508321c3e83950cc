import Foundation

/// Something the Voxa API (or the way to it) refused or failed, with what a user needs to act on it.
public enum HatifAPIError: Error, Sendable, CustomStringConvertible {
    /// The server answered with an error status and (usually) the contract's error body.
    case response(ErrorResponseDetails)
    /// The token call failed: wrong client id or secret, or the auth server refused the grant.
    case authentication(AuthenticationFailure)
    /// The request may or may not have reached the server (connection lost, timeout). For a call that
    /// creates, the outcome is unknown: check before repeating it.
    case transport(operation: String, reason: String)
    /// The server answered with something the contract does not allow (e.g. a body that does not decode).
    case invalidResponse(operation: String, status: Int, reason: String, requestID: String?)

    /// The HTTP status, when the server answered.
    public var status: Int? {
        switch self {
        case .response(let details): details.status
        case .authentication(let failure): failure.status
        case .invalidResponse(_, let status, _, _): status
        case .transport: nil
        }
    }

    /// The wait the server asked for with `Retry-After` (429, 503), if any.
    public var retryAfter: Duration? {
        if case .response(let details) = self { return details.retryAfter }
        return nil
    }

    /// The server's request id, for support tickets.
    public var requestID: String? {
        switch self {
        case .response(let details): details.requestID
        case .invalidResponse(_, _, _, let requestID): requestID
        case .authentication, .transport: nil
        }
    }

    public var description: String {
        switch self {
        case .response(let details): details.description
        case .authentication(let failure): failure.description
        case .transport(let operation, let reason):
            "\(operation): the connection failed (\(reason)); the outcome is unknown. Check the network and the API URL."
        case .invalidResponse(let operation, let status, let reason, let requestID):
            "\(operation): HTTP \(status) with an unexpected body (\(reason))\(requestIDSuffix(requestID))."
        }
    }
}

/// An error status from the API with the decoded error body.
public struct ErrorResponseDetails: Sendable, Equatable, CustomStringConvertible {
    /// One entry of the body's `validationErrors`.
    public struct ValidationError: Sendable, Equatable {
        /// What is wrong.
        public var message: String
        /// The request members it concerns, e.g. `PhoneNumber`.
        public var members: [String]

        /// Creates a validation error.
        public init(message: String, members: [String]) {
            self.message = message
            self.members = members
        }
    }

    /// The operation id from the OpenAPI document, e.g. `createContact`.
    public var operation: String
    /// The HTTP status code.
    public var status: Int
    /// The body's `error.code`, e.g. `Contact.InvalidPhone`, when the body had one.
    public var code: String?
    /// The body's `error.message`, or the status's reason phrase.
    public var message: String
    /// The body's `error.details`.
    public var details: String?
    /// The body's `error.validationErrors`.
    public var validationErrors: [ValidationError]
    /// The `X-Request-Id` response header.
    public var requestID: String?
    /// The `Retry-After` response header, parsed.
    public var retryAfter: Duration?

    /// Creates the details of an error response.
    public init(
        operation: String, status: Int, code: String?, message: String, details: String? = nil,
        validationErrors: [ValidationError] = [], requestID: String? = nil, retryAfter: Duration? = nil
    ) {
        self.operation = operation
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.validationErrors = validationErrors
        self.requestID = requestID
        self.retryAfter = retryAfter
    }

    public var description: String {
        var text = "\(operation): HTTP \(status)"
        if let code { text += " \(code)" }
        text += ": \(message)"
        for validation in validationErrors {
            let members = validation.members.isEmpty ? "" : " [\(validation.members.joined(separator: ", "))]"
            text += "; \(validation.message)\(members)"
        }
        if let details, !details.isEmpty { text += " (\(details))" }
        if let retryAfter { text += "; retry after \(retryAfter)" }
        text += requestIDSuffix(requestID)
        return text + hint
    }

    private var hint: String {
        switch status {
        case 401: ". Check the client id and secret; the token was refused"
        case 403: ". The service account lacks the VoxaAPI scope"
        case 429: ". The rate limit was hit: lower --max-rps or --concurrency"
        default: ""
        }
    }
}

/// Why the token call failed.
public struct AuthenticationFailure: Sendable, Equatable, CustomStringConvertible {
    /// The token URL that was called.
    public var tokenURL: String
    /// The HTTP status, when the auth server answered.
    public var status: Int?
    /// The OAuth `error` member, e.g. `invalid_client`.
    public var oauthError: String?
    /// More words from the server or the transport.
    public var reason: String

    /// Creates an authentication failure.
    public init(tokenURL: String, status: Int?, oauthError: String?, reason: String) {
        self.tokenURL = tokenURL
        self.status = status
        self.oauthError = oauthError
        self.reason = reason
    }

    public var description: String {
        var text = "Could not get an access token from \(tokenURL)"
        if let status { text += " (HTTP \(status))" }
        if let oauthError { text += ": \(oauthError)" }
        let reason = reason.trimmingCharacters(in: CharacterSet(charactersIn: ". "))
        if !reason.isEmpty { text += ": \(reason)" }
        if oauthError == "invalid_client" {
            text += ". Check HATIF_CLIENT_ID / --client-id and HATIF_CLIENT_SECRET / --client-secret-file"
        }
        return text + "."
    }
}

private func requestIDSuffix(_ requestID: String?) -> String {
    requestID.map { " [request \($0)]" } ?? ""
}
