import Crypto
import Foundation
import Testing

@Suite("Committed generated API code")
struct GeneratedCodeTests {
    /// The folder of the HatifAPI target's sources.
    private static let apiSources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: "Sources/HatifAPI")

    @Test("the committed code was generated from the OpenAPI document and configuration as they are now")
    func generatedCodeIsCurrent() throws {
        var inputs = try Data(contentsOf: Self.apiSources.appending(path: "openapi.yaml"))
        inputs += try Data(contentsOf: Self.apiSources.appending(path: "openapi-generator-config.yaml"))
        let digest = SHA256.hash(data: inputs).map { String(format: "%02x", $0) }.joined()
        let recorded = try String(contentsOf: Self.apiSources.appending(path: "Generated/inputs.sha256"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(digest == recorded, "openapi.yaml or its generator configuration changed: run scripts/generate-api.sh and commit Generated/")
    }
}
