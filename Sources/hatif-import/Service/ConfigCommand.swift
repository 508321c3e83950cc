import ArgumentParser
import Foundation

/// `hatif-import config show [COMMAND] [ARGUMENTS…]`: the settings a command would run with.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the settings a command runs with, and where each comes from.",
        subcommands: [Show.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Print the effective settings of import, validate or undo: command line > environment > job file > default.",
            discussion: """
                Give the command and its arguments as you would run it, for example \
                hatif-import config show import --config /etc/hatif-import/crm.yml --max-rps 50. \
                Secrets are masked: the client secret, a password in --state, the path and query of --notify. \
                Exits 2 when the settings do not make a valid command line, and says which file or variable is at fault.
                """)

        @Argument(help: "import, validate or undo.") var command = "import"
        @Argument(parsing: .captureForPassthrough, help: "The command's arguments, --config among them.")
        var arguments: [String] = []

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            guard let job = try await JobConfiguration.resolve(arguments: [command] + arguments, environment: environment) else {
                throw ValidationError("config show takes import, validate or undo, not \(command).")
            }
            // Written at once, before any error on standard error.
            FileHandle.standardOutput.write(Data((Self.table(job, environment: environment) + "\n").utf8))
            do {
                _ = try HatifImportCommand.parseAsRoot(job.arguments)
            } catch {
                throw job.attributing(error)
            }
        }

        /// The settings as aligned lines: key, value (secrets masked), source.
        static func table(_ job: JobConfiguration, environment: [String: String]) -> String {
            var rows = job.settings.map { setting in
                let shown = setting.values.map { mask(key: setting.option.key, value: $0) }.joined(separator: ", ")
                return (setting.option.key, shown.isEmpty ? "-" : shown, setting.source.description + (setting.source.isFile ? ", key \(setting.option.key)" : ""))
            }
            if job.command != "validate" {
                if environment["HATIF_CLIENT_SECRET"].map({ !$0.isEmpty }) == true {
                    rows.append(("client-secret", "••••••••", "environment HATIF_CLIENT_SECRET"))
                } else if let directory = environment["CREDENTIALS_DIRECTORY"],
                    FileManager.default.fileExists(atPath: directory + "/client-secret")
                {
                    rows.append(("client-secret", "••••••••", "systemd credential \(directory)/client-secret"))
                }
            }
            let keyWidth = rows.map(\.0.count).max() ?? 0
            let valueWidth = min(48, rows.map(\.1.count).max() ?? 0)
            let order = "command line > environment" + (job.file.map { " > \($0)" } ?? "") + " > default"
            var lines = ["Settings of hatif-import \(job.command) (\(order)):"]
            for (key, value, source) in rows {
                lines.append(
                    "  " + key.padding(toLength: keyWidth, withPad: " ", startingAt: 0) + "  "
                        + value.padding(toLength: max(valueWidth, value.count), withPad: " ", startingAt: 0) + "  " + source)
            }
            return lines.joined(separator: "\n")
        }

        /// `value` with what must not be shown masked: a URL's password, a webhook's path and query.
        static func mask(key: String, value: String) -> String {
            guard let components = URLComponents(string: value), let scheme = components.scheme, let host = components.host else { return value }
            if key == "notify" {
                let port = components.port.map { ":\($0)" } ?? ""
                let hidden = (!components.path.isEmpty && components.path != "/") || components.query != nil
                return "\(scheme)://\(host)\(port)" + (hidden ? "/••••" : components.path)
            }
            guard let range = components.rangeOfPassword else { return value }
            var masked = value
            masked.replaceSubrange(range, with: "••••")
            return masked
        }
    }
}

extension JobConfiguration.Source {
    var isFile: Bool {
        if case .file = self { return true }
        return false
    }
}
