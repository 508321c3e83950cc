import Foundation
@testable import HatifAPI
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

    @Test("the byte-level reader gives Foundation's time to the last bit, for fractions of 0 to 9 digits and offsets")
    func strictReaderMatchesFoundation() throws {
        let whole = Date.ISO8601FormatStyle()
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        var generator = SeededGenerator(seed: 2026)
        for index in 0..<100_000 {
            // 1906 to 2096, both sides of 1970 and 2001.
            let seconds = Int64.random(in: -2_000_000_000...4_000_000_000, using: &generator)
            var text = String(whole.format(Date(timeIntervalSince1970: TimeInterval(seconds))).dropLast())
            let digits = [0, 3, 3, 1, 2, 6, 9][index % 7]
            if digits > 0 { text += "." + (0..<digits).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined() }
            let offset = index % 5 == 0 ? ["+03:00", "-05:30", "+14:00", "-00:00"][index / 5 % 4] : "Z"
            text += offset
            let strict = try #require(FlexibleISO8601Transcoder.parseStrict(text), "\(text)")
            let foundation = try digits > 0 ? fractional.parse(text) : whole.parse(text)
            #expect(strict == foundation, "\(text)")
            #expect(try transcoder.decode(text) == strict)
        }
    }

    @Test("forms the byte-level reader does not take are read by Foundation as before")
    func otherFormsFallBack() throws {
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let whole = Date.ISO8601FormatStyle()
        for text in [
            "2026-03-17T12:00:00+0300", "2026-02-30T12:00:00Z", "2026-03-17T24:00:00Z", "2026-03-17T12:00:60Z",
            "2026-03-17T12:00:00.1234567891Z", "2026-03-17T12:00:00.Z", "2026-03-17 12:00:00Z", "2026-03-17T12:00:00",
            "２026-03-17T12:00:00Z", "2026-03-17T12:00:00Z ", "20260317T120000Z",
        ] {
            #expect(FlexibleISO8601Transcoder.parseStrict(text) == nil, "\(text)")
            let expected = (try? fractional.parse(text)) ?? (try? whole.parse(text))
            #expect((try? transcoder.decode(text)) == expected, "\(text)")
        }
        let leapDay = try #require(FlexibleISO8601Transcoder.parseStrict("2024-02-29T23:59:59.999Z"))
        #expect(abs(leapDay.timeIntervalSince1970 - 1_709_251_199.999) < 1e-6)
        #expect(FlexibleISO8601Transcoder.parseStrict("2023-02-29T00:00:00Z") == nil)
    }
}
