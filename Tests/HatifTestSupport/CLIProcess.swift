import Foundation

/// Runs the built `hatif-import` executable as a user would.
public struct CLIProcess {
    /// What a finished run printed and returned.
    public struct Outcome: Sendable {
        /// The exit code.
        public var status: Int32
        /// Standard output.
        public var output: String
        /// Standard error.
        public var error: String
    }

    /// The executable next to the test bundle in the build folder.
    public static var executable: URL {
        get throws {
            let candidates = [
                URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
                Bundle.main.bundleURL.deletingLastPathComponent(), Bundle.main.bundleURL,
            ].map { $0.appending(path: "hatif-import") }
            guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
                throw CLIProcessError.executableMissing(candidates.map(\.path))
            }
            return found
        }
    }

    /// The environment of this process without any `HATIF_` variable, with `HATIF_STATE` set to this
    /// test process's own state file (so no test touches the user's), plus `extra`.
    public static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("HATIF_") }
            .merging(["HATIF_STATE": testState]) { $1 }
            .merging(extra) { $1 }
    }

    /// The run state CLI processes of this test run share (each test's sandbox is a workspace of its own).
    public static let testState = FileManager.default.temporaryDirectory
        .appending(path: "hatif-tests-\(ProcessInfo.processInfo.processIdentifier)").appending(path: "state.sqlite").path

    /// Runs the executable to its end (at most `timeout`). The default is generous: in the full suite on two
    /// cores, an import of 3,000 records against a sandbox in this busy test process took up to 120 s, and
    /// a hung run is still stopped by the suite's own time limit.
    public static func run(
        _ arguments: [String], environment: [String: String] = environment(), standardInput: String? = nil, timeout: Duration = .seconds(600)
    ) async throws -> Outcome {
        let process = try start(arguments, environment: environment, standardInput: standardInput)
        let deadline = ContinuousClock.now + timeout
        while process.process.isRunning {
            if ContinuousClock.now > deadline {
                process.process.terminate()
                throw CLIProcessError.timedOut(arguments)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.outcome()
    }

    /// Starts the executable and returns at once; output goes to temporary files, and standard input comes
    /// from the file `standardInput` (nothing when nil).
    public static func start(_ arguments: [String], environment: [String: String] = environment(), standardInput: String? = nil) throws -> Running {
        let folder = FileManager.default.temporaryDirectory.appending(path: "hatif-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let outURL = folder.appending(path: "stdout")
        let errURL = folder.appending(path: "stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = try executable
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        if let standardInput {
            guard let input = FileHandle(forReadingAtPath: standardInput) else { throw CLIProcessError.outputMissing("no file \(standardInput)") }
            process.standardInput = input
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        return Running(process: process, outURL: outURL, errURL: errURL)
    }

    /// A started executable.
    public struct Running {
        /// The process.
        public let process: Process
        let outURL: URL
        let errURL: URL

        /// Standard output so far.
        public var output: String { (try? String(contentsOf: outURL, encoding: .utf8)) ?? "" }

        /// Waits until standard output matches `pattern` and returns the first capture.
        public func waitForOutput(_ pattern: Regex<(Substring, Substring)>, timeout: Duration = .seconds(30)) async throws -> String {
            let start = ContinuousClock.now
            while ContinuousClock.now < start + timeout {
                if let match = output.firstMatch(of: pattern) { return String(match.1) }
                guard process.isRunning else { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            // Once more: the line may have come while the last wait ended, or just before the process did.
            if let match = output.firstMatch(of: pattern) { return String(match.1) }
            let state = process.isRunning ? "still running" : "exited with status \(process.terminationStatus)"
            throw CLIProcessError.outputMissing(
                "\(output)\n(after \(ContinuousClock.now - start), \(state); stderr: \((try? String(contentsOf: errURL, encoding: .utf8)) ?? ""))")
        }

        /// Sends SIGTERM and waits for the exit. The wait only guards against a hang: a stopped run first
        /// finishes its requests in flight, which a sandbox in the busy test process may answer slowly.
        public func terminate(timeout: Duration = .seconds(120)) async throws -> Outcome {
            process.terminate()
            let deadline = ContinuousClock.now + timeout
            while process.isRunning {
                guard ContinuousClock.now < deadline else { throw CLIProcessError.timedOut(process.arguments ?? []) }
                try await Task.sleep(for: .milliseconds(20))
            }
            return outcome()
        }

        public func outcome() -> Outcome {
            Outcome(
                status: process.terminationStatus, output: output,
                error: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
        }
    }
}

/// Why a CLI run could not be observed.
public enum CLIProcessError: Error, CustomStringConvertible {
    case executableMissing([String])
    case timedOut([String])
    case outputMissing(String)

    public var description: String {
        switch self {
        case .executableMissing(let paths): "hatif-import is not built; looked at \(paths.joined(separator: ", ")). Run swift build first."
        case .timedOut(let arguments): "hatif-import \(arguments.joined(separator: " ")) did not finish in time."
        case .outputMissing(let output): "The expected output did not appear; got: \(output)"
        }
    }
}
