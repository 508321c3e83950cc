import ArgumentParser
import Foundation
import HatifImport

/// Prints an error the way users should read it and exits with the documented code.
enum CommandFailure {
    static func exit(for error: any Error) -> ExitCode {
        if error is ExitCode || error is ValidationError || error is CleanExit { return ExitCode(ExitStatus.usage.rawValue) }
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        return ExitCode(ExitStatus.forError(error).rawValue)
    }
}

/// The error a command throws for `error`: argument errors and exit codes as they are, anything else
/// printed and turned into its documented exit code.
private func commandError(_ error: any Error) -> any Error {
    if error is ValidationError || error is ExitCode { return error }
    return CommandFailure.exit(for: error)
}

/// Runs a command body, turning its errors into the documented exit codes.
@discardableResult
func runReportingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch { throw commandError(error) }
}

/// Runs a synchronous command body, turning its errors into the documented exit codes.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch { throw commandError(error) }
}


/// Prints a value as pretty JSON with sorted keys.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    printLine(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Writes one line to standard output right away.
@Sendable func printLine(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Writes one line to standard error right away (the human lines when standard output carries JSON).
@Sendable func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
