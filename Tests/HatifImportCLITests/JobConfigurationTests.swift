import Foundation
import Testing

@testable import hatif_import

@Suite("Job files and environment variables")
struct JobConfigurationTests {
    /// A job file in a fresh temporary folder.
    private func jobFile(_ text: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appending(path: "hatif-job-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appending(path: "crm.yml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func resolve(_ arguments: [String], _ environment: [String: String] = [:]) async throws -> JobConfiguration {
        try #require(try await JobConfiguration.resolve(arguments: arguments, environment: environment))
    }

    private func setting(_ job: JobConfiguration, _ key: String) -> JobConfiguration.Setting? {
        job.settings.first { $0.option.key == key }
    }

    @Test("command line wins over environment, environment over the file, the file over the default")
    func precedence() async throws {
        let file = try jobFile("files: [a.csv]\nmapping: m.yml\nmax-rps: 20\nconcurrency: 3\nbatch-size: 100\n")
        let job = try await resolve(
            ["import", "--config", file, "--max-rps", "40"], ["HATIF_MAX_RPS": "30", "HATIF_CONCURRENCY": "6"])
        #expect(setting(job, "max-rps")?.values == ["40"])
        #expect(setting(job, "max-rps")?.source == .commandLine)
        #expect(setting(job, "concurrency")?.values == ["6"])
        #expect(setting(job, "concurrency")?.source == .environment("HATIF_CONCURRENCY"))
        #expect(setting(job, "batch-size")?.values == ["100"])
        #expect(setting(job, "batch-size")?.source == .file(file))
        #expect(setting(job, "dedup")?.values == ["auto"])
        #expect(setting(job, "dedup")?.source == .defaultValue)

        let command = try #require(try HatifImportCommand.parseAsRoot(job.arguments) as? ImportCommand)
        #expect(command.maxRPS == 40)
        #expect(command.concurrency == 6)
        #expect(command.batchSize == 100)
        #expect(command.files == ["a.csv"])
        #expect(command.mapping == "m.yml")
    }

    @Test("a HATIF_ variable that sets nothing is named, with the likely one")
    func unknownVariables() async throws {
        let job = try await resolve(["import", "a.csv"], ["HATIF_MAXRPS": "5", "HATIF_CLIENT_SECRET": "x", "HATIF_MAX_RPS": "3", "HATIF_TEST_POSTGRES": "y"])
        #expect(job.unknownVariables.map(\.name) == ["HATIF_MAXRPS"])
        #expect(job.unknownVariables.first?.suggestion == "HATIF_MAX_RPS")
        // A variable of another command (validate's --rejects, undo's --force) is known, though this one ignores it.
        let other = try await resolve(["import", "a.csv"], ["HATIF_REJECTS": "bad.csv", "HATIF_FORCE": "true", "HATIF_MAXRPS": "5"])
        #expect(other.unknownVariables.map(\.name) == ["HATIF_MAXRPS"])
    }

    @Test("an empty environment variable counts as unset")
    func emptyVariable() async throws {
        let file = try jobFile("state: from-file.sqlite\n")
        let job = try await resolve(["import", "a.csv", "--config", file], ["HATIF_STATE": "", "HATIF_MAX_RPS": ""])
        #expect(setting(job, "state")?.values == ["from-file.sqlite"])
        #expect(setting(job, "max-rps")?.source == .defaultValue)
    }

    @Test("the file's input files apply only when the command line names none")
    func inputFiles() async throws {
        let file = try jobFile("files:\n  - a.csv\n  - -odd name.csv\nmapping: m.yml\n")
        let fromFile = try await resolve(["import", "--config", file])
        let command = try #require(try HatifImportCommand.parseAsRoot(fromFile.arguments) as? ImportCommand)
        #expect(command.files == ["a.csv", "-odd name.csv"])

        let fromLine = try await resolve(["import", "b.csv", "--config", file])
        #expect(setting(fromLine, "files")?.values == ["b.csv"])
        let lineCommand = try #require(try HatifImportCommand.parseAsRoot(fromLine.arguments) as? ImportCommand)
        #expect(lineCommand.files == ["b.csv"])

        let fromEnvironment = try await resolve(["validate", "--mapping", "m.yml"], ["HATIF_FILES": "x.csv,y.csv"])
        #expect(setting(fromEnvironment, "files")?.values == ["x.csv", "y.csv"])
    }

    @Test("flags: true in the file sets one, false in the environment wins over it")
    func flags() async throws {
        let file = try jobFile("files: a.csv\nmapping: m.yml\ndry-run: true\nincremental: yes\n")
        let job = try await resolve(["import", "--config", file], ["HATIF_DRY_RUN": "false"])
        let command = try #require(try HatifImportCommand.parseAsRoot(job.arguments) as? ImportCommand)
        #expect(command.dryRun == false)
        #expect(command.incremental == true)
        #expect(setting(job, "dry-run")?.source == .environment("HATIF_DRY_RUN"))
    }

    @Test("undo and validate read the same file; keys of other commands are not errors")
    func otherCommands() async throws {
        let file = try jobFile("files: a.csv\nmapping: m.yml\nmax-rps: 5\non-missing: flag\nsource: crm\nrejects: bad.csv\n")
        let undo = try await resolve(["undo", "12", "--config", file])
        let command = try #require(try HatifImportCommand.parseAsRoot(undo.arguments) as? UndoCommand)
        #expect(command.maxRPS == 5)
        #expect(command.run == 12)
        let validate = try await resolve(["validate", "--config", file])
        let validateCommand = try #require(try HatifImportCommand.parseAsRoot(validate.arguments) as? ValidateCommand)
        #expect(validateCommand.rejects == "bad.csv")
    }

    @Test("an unknown key is an error that names the file and the key, with the likely one")
    func unknownKey() async throws {
        let file = try jobFile("max_rps: 5\n")
        await #expect(throws: JobConfigurationError.unknownKey(path: file, key: "max_rps", suggestion: "max-rps")) {
            _ = try await JobConfiguration.resolve(arguments: ["import", "--config", file], environment: [:])
        }
        let other = try jobFile("colour: blue\n")
        await #expect(throws: JobConfigurationError.unknownKey(path: other, key: "colour", suggestion: nil)) {
            _ = try await JobConfiguration.resolve(arguments: ["import", "--config", other], environment: [:])
        }
    }

    @Test("a value of the wrong kind is an error that names the file or variable and the key")
    func wrongTypes() async throws {
        let flag = try jobFile("dry-run: maybe\n")
        await #expect(throws: JobConfigurationError.wrongType(origin: "\(flag): key \"dry-run\"", expected: "true or false")) {
            _ = try await JobConfiguration.resolve(arguments: ["import", "--config", flag], environment: [:])
        }
        let list = try jobFile("batch-size: [1, 2]\n")
        await #expect(throws: JobConfigurationError.wrongType(origin: "\(list): key \"batch-size\"", expected: "one value")) {
            _ = try await JobConfiguration.resolve(arguments: ["import", "--config", list], environment: [:])
        }
        let mapping = try jobFile("report:\n  folder: out\n")
        await #expect(throws: JobConfigurationError.wrongType(origin: "\(mapping): key \"report\"", expected: "a value or a list, not a mapping")) {
            _ = try await JobConfiguration.resolve(arguments: ["import", "--config", mapping], environment: [:])
        }
        await #expect(throws: JobConfigurationError.wrongType(origin: "environment variable HATIF_SANDBOX", expected: "true or false")) {
            _ = try await JobConfiguration.resolve(arguments: ["import", "a.csv"], environment: ["HATIF_SANDBOX": "sometimes"])
        }
        let notMapping = try jobFile("- a\n- b\n")
        await #expect(throws: JobConfigurationError.self) {
            _ = try await JobConfiguration.resolve(arguments: ["import", "--config", notMapping], environment: [:])
        }
        await #expect(throws: JobConfigurationError.self) {
            _ = try await JobConfiguration.resolve(arguments: ["import", "--config", "/nonexistent/crm.yml"], environment: [:])
        }
    }

    @Test("a value the command refuses names where it came from")
    func refusedValues() async throws {
        let file = try jobFile("files: a.csv\nmapping: m.yml\nmax-rps: fast\n")
        let job = try await resolve(["import", "--config", file])
        let error = job.attributing(Self.parseError(job.arguments))
        let attributed = try #require(error as? JobConfigurationError)
        #expect(attributed.description.hasPrefix("\(file): key \"max-rps\": "))
        #expect(attributed.description.contains("fast"))

        let range = try await resolve(["import", "a.csv", "--mapping", "m.yml"], ["HATIF_BATCH_SIZE": "9000"])
        let rangeError = try #require(range.attributing(Self.parseError(range.arguments)) as? JobConfigurationError)
        #expect(rangeError.description.hasPrefix("environment variable HATIF_BATCH_SIZE: "))

        // An error about an option the command line set is left as ArgumentParser said it.
        let line = try await resolve(["import", "a.csv", "--mapping", "m.yml", "--batch-size", "9000"], ["HATIF_VERIFY": "true"])
        #expect(!(line.attributing(Self.parseError(line.arguments)) is JobConfigurationError))
    }

    @Test("config show masks a state password, a webhook's path and the client secret")
    func masking() async throws {
        #expect(ConfigCommand.Show.mask(key: "state", value: "postgres://hatif:s3cret@db/hatif") == "postgres://hatif:••••@db/hatif")
        #expect(ConfigCommand.Show.mask(key: "notify", value: "https://hooks.example.com/services/T0/B0/XYZ?token=1") == "https://hooks.example.com/••••")
        #expect(ConfigCommand.Show.mask(key: "api-url", value: "https://voxa.example.com") == "https://voxa.example.com")
        let job = try await resolve(["import", "a.csv", "--state", "postgres://u:pw-123@h/d"], ["HATIF_CLIENT_SECRET": "very-secret-value"])
        let table = ConfigCommand.Show.table(job, environment: ["HATIF_CLIENT_SECRET": "very-secret-value"])
        #expect(!table.contains("very-secret-value"))
        #expect(!table.contains("pw-123"))
        #expect(table.contains("client-secret"))
        #expect(table.contains("environment HATIF_CLIENT_SECRET"))
    }

    private static func parseError(_ arguments: [String]) -> any Error {
        do {
            _ = try HatifImportCommand.parseAsRoot(arguments)
            return CancellationError()
        } catch {
            return error
        }
    }
}
