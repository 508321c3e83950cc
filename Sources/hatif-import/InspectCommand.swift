import ArgumentParser
import Foundation
import HatifImport

/// `hatif-import inspect FILE…`: what is in the files, before any mapping.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show format, encoding, delimiter, record count and every field's fill rate, distinct values, samples and type.")

    @Argument(help: "Input files.") var files: [String]
    @Flag(help: "Print JSON for machines.") var json = false
    @OptionGroup var reading: ReaderArguments

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Name at least one file.") }
    }

    func run() throws {
        let inspector = FileInspector(options: try reading.readerOptions())
        var reports: [FileInspector.Report] = []
        for file in files {
            do {
                reports.append(try inspector.inspect(file))
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(ExitStatus.usage.rawValue)
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(reports.count == 1 ? AnyEncodable(reports[0]) : AnyEncodable(reports))
            printLine(String(decoding: data, as: UTF8.self))
        } else {
            printLine(reports.map(\.text).joined(separator: "\n\n"))
        }
    }
}

/// Encodes one value or a list through one call.
private struct AnyEncodable: Encodable {
    let encodeValue: (Encoder) throws -> Void
    init(_ value: some Encodable) { encodeValue = value.encode }
    func encode(to encoder: Encoder) throws { try encodeValue(encoder) }
}
