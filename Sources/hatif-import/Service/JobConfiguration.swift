import ArgumentParser
import Configuration
import Foundation
import SystemPackage
import Yams

/// Where every option of `import`, `validate` and `undo` comes from: the command line first, then an
/// environment variable (`HATIF_MAX_RPS` for `--max-rps`), then the job file named by `--config`
/// (key `max-rps`), then the option's default.
///
/// The environment and the file are read through swift-configuration's providers
/// (`EnvironmentVariablesProvider`, `FileProvider<YAMLSnapshot>`); what they set is handed to
/// ArgumentParser as arguments, so every value gets the same parsing and checks as on the command line,
/// and an error in one names the file or variable and key it came from.
struct JobConfiguration: Sendable {
    /// The commands a job file and the environment configure.
    static let commands: [(name: String, type: any ParsableCommand.Type)] = [
        ("import", ImportCommand.self), ("validate", ValidateCommand.self), ("undo", UndoCommand.self),
    ]
    /// The prefix of the environment variables: `HATIF_` + the option's long name in capitals.
    static let environmentPrefix = "hatif"
    /// Long names that are not settings.
    private static let notSettings: Set<String> = ["help", "version", "config", "experimental-dump-help"]

    /// One option, flag or argument of a command, as a setting.
    struct Option: Sendable, Equatable {
        /// The long name: the job file's key.
        var key: String
        var shortNames: [String] = []
        var isFlag = false
        var isRepeating = false
        var isPositional = false
        var defaultValue: String?

        /// The environment variable that sets it (`HATIF_MAX_RPS`).
        var environmentName: String { "HATIF_" + key.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }.map(String.init).joined() }
    }

    /// Where a setting's value came from.
    enum Source: Sendable, Equatable, CustomStringConvertible {
        case commandLine
        case environment(String)
        case file(String)
        case defaultValue
        case unset

        var description: String {
            switch self {
            case .commandLine: "command line"
            case .environment(let name): "environment \(name)"
            case .file(let path): "file \(path)"
            case .defaultValue: "default"
            case .unset: "unset"
            }
        }
    }

    /// One setting in force.
    struct Setting: Sendable {
        var option: Option
        /// The values: one for an option, any number for a repeating one, `true` or `false` for a flag.
        var values: [String]
        var source: Source
    }

    /// The command's name.
    let command: String
    /// The job file, when one is named.
    let file: String?
    /// Every setting of the command, in the order the command declares them.
    let settings: [Setting]
    /// The arguments for ArgumentParser: the command line's with what the environment and the file set.
    let arguments: [String]
    /// `HATIF_` variables that set nothing (a typo such as `HATIF_MAXRPS`), with the likely name.
    var unknownVariables: [(name: String, suggestion: String?)] = []
    /// Variables read elsewhere than from an option.
    static let otherVariables: Set<String> = ["HATIF_CLIENT_SECRET"]

    /// Resolves the settings of `arguments` (a command line without the program name); nil when its
    /// command is not one that a job file configures.
    static func resolve(arguments: [String], environment: [String: String]) async throws -> JobConfiguration? {
        guard let name = arguments.first, let type = commands.first(where: { $0.name == name })?.type else { return nil }
        let options = try Self.options(of: type)
        // The keys a job file may hold are any command's. Describing the other commands costs a few
        // milliseconds of every start, so it waits until a job file or a `HATIF_` variable that is not one
        // of this command's asks for them.
        var everyKey: Set<String>?
        func known() throws -> Set<String> {
            if let everyKey { return everyKey }
            var keys = Set(options.map(\.key))
            for other in commands where other.name != name { keys.formUnion(try Self.options(of: other.type).map(\.key)) }
            everyKey = keys
            return keys
        }
        let line = try CommandLineSettings(Array(arguments.dropFirst()), options: options)
        // An empty variable counts as unset, as it always has for HATIF_STATE and HATIF_API_URL.
        let environmentProvider = EnvironmentVariablesProvider(
            environmentVariables: environment.filter { !$0.value.isEmpty }, secretsSpecifier: .specific(["HATIF_CLIENT_SECRET"]))
        var fileProvider: FileProvider<YAMLSnapshot>?
        if let path = line.configPath {
            try checkKeys(ofFile: path, known: known())
            do {
                fileProvider = try await FileProvider<YAMLSnapshot>(filePath: FilePath(path))
            } catch {
                throw JobConfigurationError.unreadableFile(path: path, reason: "\(error)")
            }
        }
        var settings: [Setting] = []
        var added: [String] = []
        var positionals: [String] = []
        for option in options {
            if let values = line.values[option.key] {
                settings.append(Setting(option: option, values: values, source: .commandLine))
                continue
            }
            if option.isPositional, line.hasPositionals {
                continue
            }
            let found =
                try lookUp(option, in: environmentProvider, key: [environmentPrefix, option.key], source: .environment(option.environmentName))
                ?? fileProvider.flatMap { provider in
                    try lookUp(option, in: provider, key: [option.key], source: .file(line.configPath ?? ""))
                }
            guard let found else {
                settings.append(Setting(option: option, values: option.defaultValue.map { [$0] } ?? [], source: option.defaultValue == nil ? .unset : .defaultValue))
                continue
            }
            settings.append(found)
            if option.isPositional {
                positionals += found.values
            } else if option.isFlag {
                if found.values == ["true"] { added.append("--\(option.key)") }
            } else {
                added += found.values.map { "--\(option.key)=\($0)" }
            }
        }
        var rest = line.arguments
        if !positionals.isEmpty {
            if rest.last == "--" { rest.removeLast() }
            rest += added + ["--"] + positionals
        } else {
            rest += added
        }
        var job = JobConfiguration(command: name, file: line.configPath, settings: settings, arguments: [name] + rest)
        let ownVariables = Set(options.map(\.environmentName))
        for variable in environment.keys.sorted() where variable.hasPrefix("HATIF_") && !variable.hasPrefix("HATIF_TEST_") {
            guard !ownVariables.contains(variable), !otherVariables.contains(variable) else { continue }
            let every = try known()
            guard !every.contains(where: { Option(key: $0).environmentName == variable }) else { continue }
            let key = String(variable.dropFirst(6)).lowercased()
            let suggestion = Self.suggestion(for: key, among: every).map { Option(key: $0).environmentName }
            job.unknownVariables.append((variable, suggestion))
        }
        return job
    }

    /// The error to show for `error`, thrown by ArgumentParser on ``arguments``: when it is about a value
    /// that the environment or the job file set, it names where that came from.
    func attributing(_ error: any Error) -> any Error {
        guard HatifImportCommand.exitCode(for: error) != .success else { return error }
        let message = HatifImportCommand.message(for: error)
        for setting in settings {
            guard let origin = Self.origin(setting.source, key: setting.option.key) else { continue }
            let names = setting.option.isPositional ? ["<\(setting.option.key)>"] : ["--\(setting.option.key)"]
            if names.contains(where: { Self.mentions(message, $0) }) {
                return JobConfigurationError.invalidValue(origin: origin, message: message)
            }
        }
        return error
    }

    // MARK: Reading the command's options

    /// The options, flags and arguments of `command`, from ArgumentParser's description of it (the one
    /// its manual and completion generators read).
    static func options(of command: any ParsableCommand.Type) throws -> [Option] {
        struct Dump: Decodable {
            struct Command: Decodable { var arguments: [Argument]? }
            struct Argument: Decodable {
                struct Name: Decodable { var kind: String; var name: String }
                var kind: String
                var names: [Name]?
                var valueName: String?
                var isRepeating: Bool
                var defaultValue: String?
            }
            var command: Command
        }
        let dump = try JSONDecoder().decode(Dump.self, from: Data(command._dumpHelp().utf8))
        return (dump.command.arguments ?? []).compactMap { argument in
            let long = argument.names?.first { $0.kind == "long" || $0.kind == "longWithSingleDash" }?.name
            guard let key = argument.kind == "positional" ? argument.valueName : long, !notSettings.contains(key) else { return nil }
            return Option(
                key: key, shortNames: argument.names?.filter { $0.kind == "short" }.map(\.name) ?? [],
                isFlag: argument.kind == "flag", isRepeating: argument.isRepeating, isPositional: argument.kind == "positional",
                defaultValue: argument.kind == "flag" ? "false" : argument.defaultValue)
        }
    }

    // MARK: Reading the environment and the file

    private static func lookUp(_ option: Option, in provider: some ConfigProvider, key: [String], source: Source) throws -> Setting? {
        let configKey = AbsoluteConfigKey(key)
        func value(_ type: ConfigType) throws -> ConfigContent? {
            do {
                return try provider.value(forKey: configKey, type: type).value?.content
            } catch {
                throw JobConfigurationError.wrongType(origin: Self.origin(source, key: option.key) ?? option.key, expected: Self.expected(option))
            }
        }
        if option.isFlag {
            guard case .bool(let flag)? = try value(.bool) else { return nil }
            return Setting(option: option, values: [flag ? "true" : "false"], source: source)
        }
        if option.isRepeating {
            // A file gives a list or one value; a variable gives comma-separated values.
            if case .file = source, case .stringArray(let values)? = try? provider.value(forKey: configKey, type: .stringArray).value?.content {
                return Setting(option: option, values: values, source: source)
            }
            guard case .string(let text)? = try value(.string) else { return nil }
            if case .environment = source { return Setting(option: option, values: text.split(separator: ",").map(String.init), source: source) }
            return Setting(option: option, values: [text], source: source)
        }
        guard case .string(let text)? = try value(.string) else { return nil }
        return Setting(option: option, values: [text], source: source)
    }

    /// Where a value of the environment or the file came from, as an error names it (nil for the others).
    private static func origin(_ source: Source, key: String) -> String? {
        switch source {
        case .environment(let name): "environment variable \(name)"
        case .file(let path): "\(path): key \"\(key)\""
        default: nil
        }
    }

    private static func expected(_ option: Option) -> String {
        option.isFlag ? "true or false" : option.isRepeating ? "a value or a list of values" : "one value"
    }

    /// Refuses a job file whose top level is not a mapping, or with a key that no command knows (not in
    /// `known`) or a mapping where a value belongs.
    private static func checkKeys(ofFile path: String, known: Set<String>) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw JobConfigurationError.unreadableFile(path: path, reason: (error as NSError).localizedDescription)
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw JobConfigurationError.unreadableFile(path: path, reason: "not YAML: \(error)")
        }
        guard let node else { return }
        guard let mapping = node.mapping else {
            throw JobConfigurationError.unreadableFile(path: path, reason: "the file must be a mapping of option names to values")
        }
        for (keyNode, valueNode) in mapping {
            let key = keyNode.string ?? "\(keyNode)"
            guard known.contains(key) else {
                throw JobConfigurationError.unknownKey(path: path, key: key, suggestion: suggestion(for: key, among: known))
            }
            if valueNode.mapping != nil {
                throw JobConfigurationError.wrongType(origin: "\(path): key \"\(key)\"", expected: "a value or a list, not a mapping")
            }
        }
    }

    /// The known key closest to a mistyped one (`max_rps` → `max-rps`), if one is close.
    static func suggestion(for key: String, among known: Set<String>) -> String? {
        let normal = key.lowercased().replacingOccurrences(of: "_", with: "-")
        if known.contains(normal) { return normal }
        var best: (key: String, distance: Int)?
        for candidate in known.sorted() {
            let distance = editDistance(Array(normal), Array(candidate))
            if distance < best?.distance ?? Int.max { best = (candidate, distance) }
        }
        guard let best, best.distance <= max(2, normal.count / 4) else { return nil }
        return best.key
    }

    /// Levenshtein distance.
    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var diagonal = row[0]
            row[0] = i
            for j in 1...b.count {
                let above = row[j]
                let substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)
                row[j] = Swift.min(above + 1, row[j - 1] + 1, substitution)
                diagonal = above
            }
        }
        return row[b.count]
    }

    /// Whether `message` names `name` as a whole (`--verify` is not in `--verify-every`).
    private static func mentions(_ message: String, _ name: String) -> Bool {
        var searchRange = message.startIndex..<message.endIndex
        while let found = message.range(of: name, range: searchRange) {
            let next = found.upperBound < message.endIndex ? message[found.upperBound] : " "
            if !(next.isLetter || next.isNumber || next == "-") { return true }
            searchRange = found.upperBound..<message.endIndex
        }
        return false
    }
}

/// What a command line sets itself: the values of its options by key, whether it names arguments, and
/// the job file.
struct CommandLineSettings {
    var values: [String: [String]] = [:]
    var hasPositionals = false
    var configPath: String?
    var arguments: [String]

    init(_ arguments: [String], options: [JobConfiguration.Option]) throws {
        self.arguments = arguments
        let byLong = Dictionary(options.filter { !$0.isPositional }.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var byShort: [Character: JobConfiguration.Option] = [:]
        for option in options { for name in option.shortNames { if let c = name.first { byShort[c] = option } } }
        var positionals: [String] = []
        var index = 0
        func next() -> String? {
            index += 1
            return index < arguments.count ? arguments[index] : nil
        }
        while index < arguments.count {
            let token = arguments[index]
            if token == "--" {
                positionals += arguments[(index + 1)...]
                break
            }
            if token.hasPrefix("--") {
                let body = token.dropFirst(2)
                let name = String(body.prefix { $0 != "=" })
                let inline = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
                if name == "config" {
                    configPath = inline ?? next()
                } else if let option = byLong[name] {
                    values[option.key, default: []].append(option.isFlag ? "true" : inline ?? next() ?? "")
                }
            } else if token.hasPrefix("-"), token.count > 1, Double(token) == nil {
                for (offset, character) in token.dropFirst().enumerated() {
                    guard let option = byShort[character] else { continue }
                    if option.isFlag {
                        values[option.key, default: []].append("true")
                    } else {
                        let attached = String(token.dropFirst(offset + 2))
                        values[option.key, default: []].append(attached.isEmpty ? next() ?? "" : attached)
                        break
                    }
                }
            } else {
                positionals.append(token)
            }
            index += 1
        }
        hasPositionals = !positionals.isEmpty
        if let positional = options.first(where: \.isPositional), hasPositionals {
            values[positional.key] = positionals
        }
    }
}
