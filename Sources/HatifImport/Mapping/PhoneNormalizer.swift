import CPhoneNumber
import HatifAPI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns phone numbers as people type them into E.164, with Google's libphonenumber: national forms are
/// read in a default region, international (`+`, `00`, the region's exit code) and punctuated forms too.
///
/// The library's metadata is as old as the system's package (Debian 12: 8.12.57, of 2022), and numbering
/// plans change every month. So a number written with its country code that the metadata finds
/// *possible* (a known country code, a length its region uses) but not *valid* is kept, marked
/// ``PhoneNumber/isValid`` false, unless `strict`: a migration must not drop a real customer's phone
/// because the library is old. A number written without a country code is read in the default region
/// only, so a foreign number typed nationally (`0300 1234567` in an `SA` file) is refused as before,
/// never kept as a wrong Saudi number.
public struct PhoneNormalizer: Sendable {
    /// The region (ISO 3166 alpha-2, e.g. `SA`) for numbers written without a country code.
    public let defaultRegion: String
    /// Whether possible numbers that the metadata does not know are refused. Default false.
    public let strict: Bool

    /// Creates a normalizer; nil when `defaultRegion` is not a region libphonenumber knows.
    public init?(defaultRegion: String, strict: Bool = false) {
        let region = defaultRegion.uppercased()
        guard hpn_country_code_for_region(region) != 0 else { return nil }
        self.defaultRegion = region
        self.strict = strict
    }

    /// The number in E.164 with its region and line type, or why it is not a valid number.
    public func normalize(_ text: String) -> Result<PhoneNumber, PhoneNumberProblem> {
        var trimmed = text.trimmedSpaces()
        guard !trimmed.isEmpty else { return .failure(.empty) }
        switch Self.spreadsheetNumber(trimmed) {
        case .success(let digits)?: trimmed = digits
        case .failure(let problem)?: return .failure(problem)
        case nil: break
        }
        var result = hpn_result()
        let status = trimmed.withCString { hpn_parse($0, strlen($0), defaultRegion, &result) }
        switch hpn_parse_status(rawValue: UInt32(status)) {
        case HPN_PARSE_OK: break
        case HPN_PARSE_INVALID_COUNTRY_CODE: return .failure(.unknownCountryCode)
        case HPN_PARSE_TOO_SHORT_AFTER_IDD, HPN_PARSE_TOO_SHORT_NSN: return .failure(.tooShort)
        case HPN_PARSE_TOO_LONG_NSN: return .failure(.tooLong)
        default: return .failure(.notANumber)
        }
        let region = Self.string(result.region)
        let extensionNumber = result.extension.0 == 0 ? nil : Self.string(result.extension)
        guard result.is_valid == 1 else {
            let e164 = Self.string(result.e164)
            if !strict, result.is_possible == 1, result.written_with_country_code == 1, PropertyValueValidator.isE164(e164),
                Self.isPlausible(e164, countryCode: Int(result.country_code), region: region)
            {
                return .success(PhoneNumber(e164: e164, region: region, type: .unknown, isValid: false, extensionNumber: extensionNumber))
            }
            return .failure(.invalid(region: region == "ZZ" ? defaultRegion : region))
        }
        return .success(
            PhoneNumber(
                e164: Self.string(result.e164), region: region,
                type: PhoneNumber.LineType(code: result.number_type), extensionNumber: extensionNumber))
    }

    /// The digits of a phone number that a spreadsheet or a data-frame library wrote as a number: in
    /// exponent form with every digit (`9.66501112222E+11`), or with a decimal part of zeros
    /// (`966501112222.0`, as pandas writes a column it read as floats). ``PhoneNumberProblem/exponentForm``
    /// when the exponent form left digits out (`9.66501E+11`: the zeros it stands for are a guess); nil
    /// when `text` is not a number so written. libphonenumber must not see these: it reads the `E` as a
    /// letter of a vanity number, and the `.0` as one more digit.
    static func spreadsheetNumber(_ text: String) -> Result<String, PhoneNumberProblem>? {
        // Asked of every number: most fail at their first byte that is neither a digit nor one of `.,eE`,
        // or end as plain digits, looked at in place.
        let plain = text.utf8.withContiguousStorageIfAvailable { bytes in
            var index = 0
            while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
            guard index > 0, index < bytes.count else { return true }
            let byte = bytes[index]
            return !(byte == UInt8(ascii: ".") || byte == UInt8(ascii: ",") || byte | 0x20 == UInt8(ascii: "e"))
        }
        if plain == true { return nil }
        enum Part { case whole, fraction, exponentSign, exponent }
        var part = Part.whole
        var wholeDigits = 0
        var fractionDigits = 0
        var fractionZeros = 0
        var exponent = 0
        var exponentDigits = 0
        for byte in text.utf8 {
            let digit = byte &- UInt8(ascii: "0") < 10
            switch part {
            case .whole:
                if digit {
                    wholeDigits += 1
                } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: ",") {
                    part = .fraction
                } else if byte | 0x20 == UInt8(ascii: "e") {
                    part = .exponentSign
                } else {
                    return nil
                }
            case .fraction:
                if digit {
                    fractionDigits += 1
                    if byte == UInt8(ascii: "0") { fractionZeros += 1 }
                } else if byte | 0x20 == UInt8(ascii: "e") {
                    part = .exponentSign
                } else {
                    return nil
                }
            case .exponentSign, .exponent:
                if digit {
                    guard exponent < 100 else { return nil }
                    exponent = exponent * 10 + Int(byte - UInt8(ascii: "0"))
                    exponentDigits += 1
                    part = .exponent
                } else if byte == UInt8(ascii: "+") && part == .exponentSign {
                    part = .exponent
                } else {
                    return nil
                }
            }
        }
        guard wholeDigits > 0 else { return nil }
        let digits = { (count: Int) in String(decoding: text.utf8.lazy.filter { $0 &- UInt8(ascii: "0") < 10 }.prefix(count), as: UTF8.self) }
        switch part {
        case .whole, .exponentSign: return nil
        case .fraction: return fractionDigits > 0 && fractionZeros == fractionDigits ? .success(digits(wholeDigits)) : nil
        case .exponent:
            guard exponentDigits > 0 else { return nil }
            return exponent == fractionDigits ? .success(digits(wholeDigits + fractionDigits)) : .failure(.exponentForm)
        }
    }

    /// Whether a number the metadata does not know still looks like one someone could have: its national
    /// part does not start with 0 (only a few plans keep a leading 0 in E.164) and is not one digit repeated.
    static func isPlausible(_ e164: String, countryCode: Int, region: String) -> Bool {
        let national = e164.dropFirst(1 + String(countryCode).count)
        guard let first = national.first else { return false }
        if first == "0", !["IT", "SM", "VA", "CI"].contains(region) { return false }
        return national.contains { $0 != first }
    }

    private static func string<T>(_ tuple: T) -> String {
        withUnsafeBytes(of: tuple) { bytes in String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self) }
    }
}

/// A phone number in E.164: valid by the phone metadata, or possible and kept (``isValid`` false).
public struct PhoneNumber: Sendable, Hashable, Codable {
    /// The kind of line, as libphonenumber tells it from the number plan.
    public enum LineType: String, Sendable, Codable, CaseIterable {
        case fixedLine, mobile, fixedLineOrMobile, tollFree, premiumRate, sharedCost, voip, personalNumber, pager
        case uan, voicemail, unknown

        init(code: Int32) {
            switch hpn_number_type(rawValue: UInt32(code)) {
            case HPN_TYPE_FIXED_LINE: self = .fixedLine
            case HPN_TYPE_MOBILE: self = .mobile
            case HPN_TYPE_FIXED_LINE_OR_MOBILE: self = .fixedLineOrMobile
            case HPN_TYPE_TOLL_FREE: self = .tollFree
            case HPN_TYPE_PREMIUM_RATE: self = .premiumRate
            case HPN_TYPE_SHARED_COST: self = .sharedCost
            case HPN_TYPE_VOIP: self = .voip
            case HPN_TYPE_PERSONAL_NUMBER: self = .personalNumber
            case HPN_TYPE_PAGER: self = .pager
            case HPN_TYPE_UAN: self = .uan
            case HPN_TYPE_VOICEMAIL: self = .voicemail
            default: self = .unknown
            }
        }

        /// Whether the line may be a mobile (mobile, or fixed-line-or-mobile where the plan cannot tell).
        public var mayBeMobile: Bool { self == .mobile || self == .fixedLineOrMobile }
    }

    /// The number in E.164, e.g. `+966500111222`.
    public var e164: String
    /// The region it belongs to, e.g. `SA`.
    public var region: String
    /// The kind of line.
    public var type: LineType
    /// False when the metadata finds the number possible but does not know it: kept, to be checked.
    public var isValid: Bool
    /// The extension written after the number (`721` of `+1 601 473 1975 x721`), which E.164 and so the
    /// contact cannot hold; nil when there is none.
    public var extensionNumber: String?

    /// Creates a phone number.
    public init(e164: String, region: String, type: LineType, isValid: Bool = true, extensionNumber: String? = nil) {
        self.e164 = e164
        self.region = region
        self.type = type
        self.isValid = isValid
        self.extensionNumber = extensionNumber
    }

    /// The note of an extension the contact cannot hold.
    public var extensionNote: String? {
        extensionNumber.map { "extension \($0) of \(e164) not imported: E.164 has no room for it" }
    }

    /// The note a kept number carries into the report.
    public var keptNote: String? {
        isValid ? nil : "\(e164) \(Self.keptMarker) \(PhoneMetadata.current.description); check it"
    }

    /// The words that mark a kept number's note; the summary counts the records whose notes have them.
    public static let keptMarker = "kept: not in the phone metadata of"
}

/// Why a text is not a valid phone number, in words for a reject.
public enum PhoneNumberProblem: Error, Sendable, Hashable, CustomStringConvertible {
    case empty
    case notANumber
    case unknownCountryCode
    case tooShort
    case tooLong
    /// Parsed, but not a number in use in `region`'s number plan.
    case invalid(region: String)
    /// Written in exponent form by a spreadsheet (`9.66501E+11`), which left out its last digits.
    case exponentForm

    public var description: String {
        switch self {
        case .empty: "no number"
        case .notANumber: "not a phone number"
        case .unknownCountryCode: "unknown country code"
        case .tooShort: "too short"
        case .tooLong: "too long"
        case .invalid(let region): "not a valid number for \(region)"
        case .exponentForm:
            "written in exponent form by a spreadsheet, which left out its last digits: format the column as text and export again"
        }
    }
}
