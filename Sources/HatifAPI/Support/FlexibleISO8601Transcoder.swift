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
        if let date = try? Self.withFraction.parse(text) { return date }
        if let date = try? Self.withoutFraction.parse(text) { return date }
        throw DecodingError.dataCorrupted(
            .init(codingPath: [], debugDescription: "Expected an ISO 8601 time, got \"\(text)\".")
        )
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
