import Foundation
import HatifAPI
import HatifImport
import HatifSandbox
import HatifTestSupport
import Testing

@Suite("Sizing a run before it starts")
struct SizingTests {
    @Test("the dry run's estimate is within 10% of the requests the run sends with one call in five failing; retries and recoveries are counted apart")
    func estimateWithFaults() async throws {
        let fixture = try ImportFixture(count: 800)
        defer { fixture.remove() }
        let faults = FaultConfiguration(seed: 5, rateLimit: nil, error500Rate: 0.05, dropRate: 0.15)
        let retry = RetryPolicy(maxAttempts: 12, initialBackoff: .milliseconds(5), maxBackoff: .milliseconds(50))
        try await SandboxHarness.withClient(SandboxConfiguration(faults: faults), retry: retry) { sandbox, client in
            var configuration = fixture.configuration()
            configuration.maxUnknownOutcomes = 20
            let planFolder = fixture.folder.appending(path: "plan").path
            let plan = try await Pipeline(configuration: configuration, client: client).dryRun(report: try PlanReportWriter(folder: planFolder))
            let estimate = try #require(plan.sizing).estimate
            #expect(estimate.creates == 800)
            #expect(estimate.bulkFiles == 8, "800 creates in files of 100")
            #expect(estimate.updates == 400, "the 400 contacts with a tier get their property in a follow-up Update Contact")

            let summary = try await Pipeline(configuration: configuration, client: client).run(outputFolder: fixture.report)
            #expect(summary.failed == 0)
            let sizing = try #require(summary.sizing)
            let actual = try #require(sizing.actual)
            let difference = Double(actual.total - estimate.total) / Double(estimate.total)
            #expect(abs(difference) <= 0.10, "estimated \(estimate.total), sent \(actual.total)")
            #expect(actual.bulkFiles == estimate.bulkFiles, "a bulk file sent again after an unknown outcome is a recovery")
            #expect(actual.updates == estimate.updates)
            #expect((sizing.retries ?? 0) > 0, "the faults did strike, and their retries are counted apart")
            #expect(actual.creates == 800)

            let saved = try JSONDecoder().decode(PlanSummary.self, from: Data(contentsOf: URL(fileURLWithPath: fixture.report + "/summary.json")))
            #expect(saved.sizing?.actual == actual, "summary.json holds the estimate beside the actual")
            let page = try String(contentsOfFile: fixture.report + "/report.html", encoding: .utf8)
            #expect(page.contains("\"actual\":[[\"Bulk files\",8]"), "report.html shows the requests sent beside the estimate")
            let planned = try JSONDecoder().decode(PlanSummary.self, from: Data(contentsOf: URL(fileURLWithPath: planFolder + "/summary.json")))
            #expect(planned.sizing?.line.hasPrefix("800 creates in 8 bulk files, 400 updates") == true)
            await expectWorkspaceHolds(fixture, sandbox)
        }
    }

    @Test("the sizing line counts requests by kind and gives the time at the configured pace and at ten times it")
    func line() {
        var requests = RequestSizing()
        requests.creates = 1_400_000
        requests.bulkFiles = 2_800
        requests.updates = 900_000
        requests.searches = 4_000
        let sizing = RunSizing(estimate: requests, latency: .milliseconds(20), maxRequestsPerSecond: 20, concurrency: 4)
        #expect(sizing.line == "1,400,000 creates in 2,800 bulk files, 900,000 updates, 4,000 searches: 906,800 requests, about 12 h 35 min at --max-rps 20, 1 h 15 min at 200")
        let unlimited = RunSizing(estimate: requests, latency: .milliseconds(20), maxRequestsPerSecond: nil, concurrency: 4)
        #expect(unlimited.line.hasSuffix("906,800 requests, about 1 h 15 min with no --max-rps at 4 in flight"))
    }
}
