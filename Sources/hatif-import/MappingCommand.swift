import ArgumentParser
import Foundation
import HatifImport

/// `hatif-import mapping …`: mapping files.
struct MappingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mapping", abstract: "Write a starting mapping file from input files.",
        subcommands: [MappingInitCommand.self])
}

/// `hatif-import mapping init FILE… > mapping.yml`.
struct MappingInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Read the first records and write a commented mapping to standard output.",
        discussion: """
            Known export columns (Google, Outlook, HubSpot, Salesforce, iCloud and Android vCards) map to contact \
            fields; every other non-empty column becomes a property with an inferred type. Review the result.
            """)

    @Argument(help: "Input files.") var files: [String]
    @Option(help: "Default phone region for numbers without a country code (ISO 3166, e.g. SA); guessed from the numbers when not given, else SA.")
    var region: String?
    @Option(help: "Records looked at per file.") var sample = 2000
    @OptionGroup var reading: ReaderArguments

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Name at least one input file.") }
        if let region, PhoneNormalizer(defaultRegion: region) == nil { throw ValidationError("Unknown --region \(region).") }
        guard sample > 0 else { throw ValidationError("--sample must be positive.") }
    }

    func run() throws {
        let yaml = try reportingErrors {
            try MappingInitializer(region: region, readerOptions: try reading.readerOptions(), sampleRecords: sample).yaml(for: try reading.inputs(files))
        }
        FileHandle.standardOutput.write(Data(yaml.utf8))
    }
}
