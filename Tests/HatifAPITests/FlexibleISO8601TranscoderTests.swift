import Foundation
import HatifAPI
import Testing

@Suite("Times")
struct FlexibleISO8601TranscoderTests {
    let transcoder = FlexibleISO8601Transcoder()

    @Test("times are written with milliseconds, rounded, and consecutive milliseconds stay distinct")
    func writesRoundedMilliseconds() throws {
        #expect(try transcoder.encode(Date(timeIntervalSince1970: 1_790_000_000.123)) == "2026-09-21T14:13:20.123Z")
        #expect(try transcoder.encode(Date(timeIntervalSince1970: 1_790_000_000)) == "2026-09-21T14:13:20.000Z")
        #expect(try transcoder.encode(Date(timeIntervalSince1970: 1_790_000_000.9996)) == "2026-09-21T14:13:21.000Z")
        var seen = Set<String>()
        for step in 0..<2000 { seen.insert(try transcoder.encode(Date(timeIntervalSince1970: 1_790_000_000 + Double(step) / 1000))) }
        #expect(seen.count == 2000)
    }

    @Test("times are read with or without fractional seconds and with offsets")
    func readsBothForms() throws {
        #expect(try transcoder.decode("2026-03-17T12:00:00Z") == Date(timeIntervalSince1970: 1_773_748_800))
        #expect(try transcoder.decode("2026-03-17T12:00:00.250Z") == Date(timeIntervalSince1970: 1_773_748_800.25))
        #expect(try transcoder.decode("2026-03-17T15:00:00+03:00") == Date(timeIntervalSince1970: 1_773_748_800))
        #expect(throws: DecodingError.self) { try transcoder.decode("17/03/2026") }
    }
}
