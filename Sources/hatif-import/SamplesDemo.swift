import Foundation
import HatifAPI
import HatifImport

/// What `make demo` runs: real imports of every file in `samples/` into one workspace, each with its
/// report, then the last import again to show that a re-run changes nothing.
struct SamplesDemo: Sendable {
    /// One import of the demo.
    struct Step: Sendable {
        /// The report folder's name.
        public var name: String
        /// Input files, under the samples folder.
        public var files: [String]
        /// The mapping file, under the samples folder.
        public var mapping: String
    }

    /// The imports, in order: later samples share some people with earlier ones, so they also update.
    static let steps = [
        Step(name: "google", files: ["google-contacts.csv"], mapping: "google-mapping.yml"),
        Step(name: "outlook", files: ["outlook-contacts.csv"], mapping: "outlook-mapping.yml"),
        Step(name: "excel", files: ["excel-semicolon-1252.csv"], mapping: "excel-mapping.yml"),
        Step(name: "vcards", files: ["icloud-3.0.vcf", "android-2.1.vcf", "contacts-4.0.vcf"], mapping: "vcard-mapping.yml"),
        Step(name: "crm", files: ["crm-export.xml"], mapping: "crm-mapping.yml"),
    ]

    /// One line of the demo's output.
    typealias Output = @Sendable (String) -> Void

    private let client: HatifClient
    private let samples: URL
    private let reports: URL
    private let output: Output
    /// The demo's run state, in the reports folder.
    private let state: StateLocation

    /// Creates the demo over a client; `samples` holds the inputs, `reports` receives one folder per step.
    init(client: HatifClient, samples: String, reports: String, output: @escaping Output) {
        self.client = client
        self.samples = URL(fileURLWithPath: samples)
        self.reports = URL(fileURLWithPath: reports)
        self.output = output
        state = .sqlite(path: self.reports.appending(path: ".state").appending(path: "state.sqlite").path)
    }

    /// Runs every step and the re-run; returns the contacts in the workspace at the end.
    @discardableResult
    func run() async throws -> Int {
        // Each demo imports into a new embedded sandbox: the history of an earlier demo describes nothing.
        try? FileManager.default.removeItem(at: reports.appending(path: ".state"))
        for step in Self.steps {
            let summary = try await importing(step, into: step.name)
            output(
                "\(step.files.joined(separator: ", ")): \(summary.records) records → \(summary.create) created, \(summary.update) updated, \(summary.unchanged) unchanged, \(summary.merged) merged, \(summary.reject) rejected, \(summary.failed) failed"
            )
            if !summary.propertiesToCreate.isEmpty { output("  properties created: \(summary.propertiesToCreate.joined(separator: ", "))") }
            output("  report: \(reports.appending(path: step.name).appending(path: "report.html").path)")
        }
        let last = Self.steps[Self.steps.count - 1]
        let again = try await importing(last, into: last.name + "-again")
        output(
            "\(last.files.joined(separator: ", ")) again: \(again.create) created, \(again.update) updated, \(again.unchanged) unchanged — a re-run writes nothing"
        )
        let total = try await client.getContacts(skip: 0, max: 1).totalCount
        output("The workspace holds \(total) contacts. The rejects are on purpose: the samples carry broken rows, each listed in rejects.csv with its file:line and reason.")
        return Int(total)
    }

    private func importing(_ step: Step, into folder: String) async throws -> PlanSummary {
        let report = reports.appending(path: folder)
        let configuration = Pipeline.Configuration(
            files: step.files.map { samples.appending(path: $0).path },
            mapping: try MappingFile.load(path: samples.appending(path: step.mapping).path),
            state: state, source: step.name, restart: true)
        return try await Pipeline(configuration: configuration, client: client).run(outputFolder: report.path)
    }
}
