import Foundation
import HTTPTypes
import HatifAPI
import OpenAPIRuntime

/// An error answer of the sandbox, in the contract's error body.
struct SandboxError: Error, HTTPResponseConvertible, Sendable {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var members: [String] = []
    var details: String? = nil
    var retryAfterSeconds: Int? = nil

    var httpStatus: HTTPResponse.Status { status }

    var httpHeaderFields: HTTPFields {
        var fields = HTTPFields()
        fields[.contentType] = "application/json; charset=utf-8"
        if let retryAfterSeconds { fields[.retryAfter] = "\(retryAfterSeconds)" }
        return fields
    }

    var httpBody: HTTPBody? { HTTPBody(body) }

    var info: Components.Schemas.ErrorInfo {
        Components.Schemas.ErrorInfo(
            code: code, message: message, details: details,
            validationErrors: members.isEmpty ? nil : [.init(message: message, members: members)])
    }

    var body: Data { (try? JSONEncoder().encode(Components.Schemas.ErrorResponse(error: info))) ?? Data() }

    static func validation(_ code: String, _ message: String, members: [String] = []) -> SandboxError {
        SandboxError(status: .badRequest, code: code, message: message, members: members)
    }

    static func validation(_ code: String, _ message: String, members: [String], details: String) -> SandboxError {
        SandboxError(status: .badRequest, code: code, message: message, members: members, details: details)
    }

    static func notFound(_ what: String, id: String) -> SandboxError {
        SandboxError(status: .notFound, code: "\(what).NotFound", message: "No \(what.lowercased()) with id \(id).")
    }

    static let unauthorized = SandboxError(
        status: .unauthorized, code: "Auth.InvalidToken", message: "The access token is missing, unknown or expired.")
}
