import Foundation
import OpenAPIRuntime

/// Reads ISO 8601 times with or without fractional seconds and writes them with milliseconds.
///
/// The contract shows `2026-03-17T12:00:00Z`; real servers often add fractions. Accepting both keeps the
/// client tolerant, and writing milliseconds lets the sandbox keep `CreationTime` strictly increasing.
public struct FlexibleISO8601Transcoder: DateTranscoder {
    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let withoutFraction = Date.ISO8601FormatStyle()

    /// Creates the transcoder.
    public init() {}

    /// Writes `2026-03-17T12:00:00.123Z`, rounding to the nearest millisecond (Foundation's formatter
    /// truncates, which can print two consecutive milliseconds alike).
    public func encode(_ date: Date) throws -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (seconds, fraction) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        let whole = fraction < 0 ? (seconds - 1, fraction + 1000) : (seconds, fraction)
        let text = Self.withoutFraction.format(Date(timeIntervalSince1970: TimeInterval(whole.0)))
        let digits = String(whole.1)
        return text.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    public func decode(_ text: String) throws -> Date {
        if let date = Self.parseStrict(text) { return date }
        if let date = try? Self.withFraction.parse(text) { return date }
        if let date = try? Self.withoutFraction.parse(text) { return date }
        throw DecodingError.dataCorrupted(
            .init(codingPath: [], debugDescription: "Expected an ISO 8601 time, got \"\(text)\".")
        )
    }
}

extension FlexibleISO8601Transcoder {
    /// `YYYY-MM-DDTHH:MM:SS`, an optional fraction of 1 to 9 digits, then `Z` or `±HH:MM`: the forms APIs
    /// write, read straight from the bytes (Foundation's parser took about a fifth of decoding a contact);
    /// nil for anything else, which Foundation's parser then reads. It gives Foundation's `Date` to the last
    /// bit (a test compares them on 100,000 times).
    static func parseStrict(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { bytes -> Date? in
            guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
                bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
                let year = number(bytes, at: 0, digits: 4), let month = number(bytes, at: 5, digits: 2),
                let day = number(bytes, at: 8, digits: 2), let hour = number(bytes, at: 11, digits: 2),
                let minute = number(bytes, at: 14, digits: 2), let second = number(bytes, at: 17, digits: 2),
                (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour <= 23, minute <= 59,
                second <= 59
            else { return nil }
            var index = 19
            var nanoseconds = 0
            if bytes[index] == UInt8(ascii: ".") {
                index += 1
                let start = index
                while index < bytes.count, index - start < 10, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                    nanoseconds = nanoseconds * 10 + Int(bytes[index] &- UInt8(ascii: "0"))
                    index += 1
                }
                let count = index - start
                guard (1...9).contains(count) else { return nil }
                for _ in count..<9 { nanoseconds *= 10 }
            }
            guard index < bytes.count else { return nil }
            var offset = 0
            if bytes[index] == UInt8(ascii: "Z"), index + 1 == bytes.count {
                offset = 0
            } else if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"), index + 6 == bytes.count,
                bytes[index + 3] == UInt8(ascii: ":"), let hours = number(bytes, at: index + 1, digits: 2),
                let minutes = number(bytes, at: index + 4, digits: 2), hours <= 23, minutes <= 59
            {
                offset = (hours * 3600 + minutes * 60) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
            } else {
                return nil
            }
            // Summed as Foundation sums them, so that the same text gives the same Double: the local day's start
            // since 2001, plus the time of day with its fraction, less the offset.
            let dayStart = (daysSince1970(year: year, month: month, day: day) - 11_323) * 86_400
            let timeOfDay = Double(hour * 3600 + minute * 60 + second) + Double(nanoseconds) / 1e9
            return Date(timeIntervalSinceReferenceDate: Double(dayStart) + timeOfDay - Double(offset))
        }
    }

    private static func number(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, digits: Int) -> Int? {
        var value = 0
        for index in start..<(start + digits) {
            let digit = Int(bytes[index]) &- Int(UInt8(ascii: "0"))
            guard (0...9).contains(digit) else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to the date in the proleptic Gregorian calendar (Howard Hinnant's `days_from_civil`).
    private static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension Configuration {
    /// The runtime configuration both the client and the sandbox use.
    public static var hatif: Configuration {
        Configuration(dateTranscoder: FlexibleISO8601Transcoder(), jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes])
    }
}

extension JSONEncoder {
    /// A JSON encoder that writes times like the API does, for files outside the generated client
    /// (sandbox snapshots, reports).
    public static func hatif(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        let transcoder = FlexibleISO8601Transcoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(try transcoder.encode(date))
        }
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys]
        return encoder
    }
}

extension JSONDecoder {
    /// A JSON decoder that reads times like the API writes them.
    public static func hatif() -> JSONDecoder {
        let decoder = JSONDecoder()
        let transcoder = FlexibleISO8601Transcoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            try transcoder.decode(try decoder.singleValueContainer().decode(String.self))
        }
        return decoder
    }
}
