import ArgumentParser
import HatifImport

/// `hatif-import sample`: realistic synthetic contacts for tests, benchmarks and rehearsals.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Write realistic synthetic contacts (mixed-country phones, Arabic and accented names, some invalid rows).")

    @Option(help: "csv, vcf, xml or xlsx.") var format: String = "csv"
    @Option(help: "How many contacts.") var count: Int = 1000
    @Option(help: "Seed: the same seed writes the same contacts.") var seed: UInt64 = 1
    @Option(help: "CSV columns: google, outlook or plain.") var dialect: String = "plain"
    @Option(name: [.short, .long], help: "Output file (default: standard output).") var output: String?

    func run() throws {
        guard let format = SampleFormat(rawValue: format.lowercased()) else { throw ValidationError("--format must be csv, vcf, xml or xlsx.") }
        guard let dialect = SampleDialect(rawValue: dialect.lowercased()) else {
            throw ValidationError("--dialect must be google, outlook or plain.")
        }
        guard count >= 0 else { throw ValidationError("--count must be 0 or more.") }
        let writer = try output.map { try BufferedWriter(path: $0, mode: 0o644) } ?? BufferedWriter.standardOutput()
        try SampleWriter(format: format, dialect: dialect, output: writer).write(count: count, generator: SampleGenerator(seed: seed))
    }
}
