import ArgumentParser
import HatifImport
import Logging

/// How much to log, and how, to standard error.
struct LoggingOptions: ParsableArguments {
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "notice"

    @Option(name: .customLong("log-format"), help: "text, or json for one JSON object per line (nightly jobs).")
    var logFormat: String = "text"

    /// Sets up swift-log once for the process and returns the command's logger.
    func makeLogger(label: String = "hatif") throws -> Logger {
        guard let level = Logger.Level(rawValue: logLevel.lowercased()) else {
            throw ValidationError("--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        let json: Bool
        switch logFormat.lowercased() {
        case "text": json = false
        case "json": json = true
        default: throw ValidationError("--log-format must be text or json.")
        }
        LoggingSystem.bootstrap { label in
            if json { return JSONLogHandler(label: label, level: level) }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }

    /// Whether log lines are JSON.
    var isJSON: Bool { logFormat.lowercased() == "json" }
}
