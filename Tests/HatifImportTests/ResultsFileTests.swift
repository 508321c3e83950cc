import Foundation
import Testing

@testable import HatifImport

@Suite("results.jsonl")
struct ResultsFileTests {
    @Test("the contact ids that committed results name are found by reading only their contactIds member")
    func contactIDsAmongResults() throws {
        let path = FileManager.default.temporaryDirectory.appending(path: "results-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let lines = [
            #"{"file":"a.csv","line":2,"record":1,"action":"create","outcome":"created","contactIds":["11111111-aaaa"],"reasons":["contactIds in a reason: [\"99999999-zzzz\"]"]}"#,
            #"{"file":"a.csv","line":3,"record":2,"action":"conflict","outcome":"conflict","key":"phone","contactIds":["22222222-bbbb","33333333-cccc"]}"#,
            #"{"file":"a.csv","line":4,"record":3,"action":"reject","outcome":"rejected","reasons":["no key"]}"#,
        ]
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let found = try ResultsFile.contactIDs(among: ["11111111-aaaa", "33333333-cccc", "44444444-dddd", "99999999-zzzz"], in: path)
        #expect(found == ["11111111-aaaa", "33333333-cccc"])
        #expect(try ResultsFile.contactIDs(among: ["x"], in: path + ".missing").isEmpty)
        var decoded = 0
        try ResultsFile.forEachEntry(in: path) { _ in decoded += 1 }
        #expect(decoded == 3, "the lines are real results lines")
    }
}
