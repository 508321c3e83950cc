import Foundation
import Testing

@testable import HatifImport

@Suite("results.jsonl")
struct ResultsFileTests {
    @Test("results lines read back as plan entries, with their outcomes, contact ids and reasons")
    func readBack() throws {
        let path = FileManager.default.temporaryDirectory.appending(path: "results-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let lines = [
            #"{"file":"a.csv","line":2,"record":1,"action":"create","outcome":"created","contactIds":["11111111-aaaa"],"reasons":["contactIds in a reason: [\"99999999-zzzz\"]"]}"#,
            #"{"file":"a.csv","line":3,"record":2,"action":"conflict","outcome":"conflict","key":"phone","contactIds":["22222222-bbbb","33333333-cccc"]}"#,
            #"{"file":"a.csv","line":4,"record":3,"action":"reject","outcome":"rejected","reasons":["no key"]}"#,
        ]
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        var decoded: [PlanEntry] = []
        try ResultsFile.forEachEntry(in: path) { decoded.append($0) }
        #expect(decoded.map(\.outcome) == [.created, .conflict, .rejected])
        #expect(decoded[1].contactIDs == ["22222222-bbbb", "33333333-cccc"] && decoded[1].key == "phone")
        #expect(decoded[0].reasons == [#"contactIds in a reason: ["99999999-zzzz"]"#])
    }
}
