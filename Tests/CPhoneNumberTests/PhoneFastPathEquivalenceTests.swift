import CPhoneNumber
import Foundation
import Testing

/// The shim's fast path (its own reading of libphonenumber's metadata) against plain libphonenumber, on
/// over a million numbers of twenty regions and the non-geographic codes, written in national,
/// international, `00`, exit-code and punctuated forms, valid and mistyped.
@Suite("Phone fast path")
struct PhoneFastPathEquivalenceTests {
    /// The regions, among them shared country codes (+1, +7, +44), national-prefix transform rules (AR, BR,
    /// AG, SM, NF) and leading zeros kept in E.164 (IT).
    static let regions = [
        "SA", "AE", "EG", "US", "CA", "GB", "DE", "FR", "IT", "IN", "BR", "AR", "JP", "AU", "RU", "KZ", "AG", "GG",
        "SM", "NF", "MX", "NG", "CN",
    ]
    static let nonGeographicCodes: [Int32] = [800, 808, 870, 878, 881, 882, 883, 888, 979]
    static let types = [
        HPN_TYPE_FIXED_LINE, HPN_TYPE_MOBILE, HPN_TYPE_TOLL_FREE, HPN_TYPE_PREMIUM_RATE, HPN_TYPE_VOIP, HPN_TYPE_UAN,
    ]

    /// One example national number with its country code and region ("" for non-geographic ones).
    struct Example: Sendable {
        let region: String
        let countryCode: Int32
        let national: [UInt8]
    }

    static func examples() -> [Example] {
        var examples: [Example] = []
        var buffer = [CChar](repeating: 0, count: 32)
        for region in regions {
            for type in types {
                let code = hpn_example_number(region, 0, Int32(type.rawValue), &buffer, buffer.count)
                if code != 0 { examples.append(Example(region: region, countryCode: code, national: digits(buffer))) }
            }
        }
        for code in nonGeographicCodes {
            let found = hpn_example_number(nil, code, Int32(HPN_TYPE_MOBILE.rawValue), &buffer, buffer.count)
            if found != 0 { examples.append(Example(region: "", countryCode: found, national: digits(buffer))) }
        }
        return examples
    }

    private static func digits(_ buffer: [CChar]) -> [UInt8] {
        buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    }

    /// A deterministic generator, so that a difference found is found again.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// One text to parse and the default region to parse it in.
    static func makeCase(_ examples: [Example], _ random: inout SplitMix) -> (text: [UInt8], region: String) {
        let example = examples[Int.random(in: 0..<examples.count, using: &random)]
        var national = example.national
        // Keep the prefix of the example and draw the rest: mostly valid numbers, many invalid ones.
        let drawn = Int.random(in: 0...national.count, using: &random)
        for index in (national.count - drawn)..<national.count {
            national[index] = UInt8(ascii: "0") + UInt8.random(in: 0...9, using: &random)
        }
        switch Int.random(in: 0..<8, using: &random) {
        case 0 where national.count > 3: national.remove(at: Int.random(in: 0..<national.count, using: &random))
        case 1: national.insert(UInt8(ascii: "0") + UInt8.random(in: 0...9, using: &random), at: Int.random(in: 0..<national.count, using: &random))
        default: break
        }
        let code = Array(String(example.countryCode).utf8)
        let text: [UInt8]
        switch Int.random(in: 0..<9, using: &random) {
        case 0: text = Array("+".utf8) + code + [0x20] + national
        case 1: text = Array("00".utf8) + code + national
        case 2: text = Array("0".utf8) + national
        case 3: text = national
        case 4: text = code + national
        case 5: text = Array("011 ".utf8) + code + [0x20] + national
        case 6: text = Array("+".utf8) + code + Array(" (0) ".utf8) + national
        case 7: text = Array("1".utf8) + national
        default: text = Array("(".utf8) + national.prefix(3) + Array(") ".utf8) + national.dropFirst(3)
        }
        var punctuated: [UInt8] = []
        if Bool.random(using: &random) {
            let separators = Array(" -./()".utf8)
            for (index, byte) in text.enumerated() {
                punctuated.append(byte)
                if index + 1 < text.count, Int.random(in: 0..<4, using: &random) == 0 {
                    punctuated.append(separators[Int.random(in: 0..<separators.count, using: &random)])
                }
            }
        } else {
            punctuated = text
        }
        // An extension now and then, in the forms the fast path reads and in others it leaves to the library.
        if Int.random(in: 0..<8, using: &random) == 0 {
            let forms = [" x", "x", " X ", " x.", " x:", " x-", " ext. ", ";ext=", " #"]
            let digits = (0..<Int.random(in: 1...6, using: &random)).map { _ in UInt8(ascii: "0") + UInt8.random(in: 0...9, using: &random) }
            punctuated += Array(forms[Int.random(in: 0..<forms.count, using: &random)].utf8) + digits
        }
        // Parsed in its own region half the time, else in another (or, for non-geographic ones, any).
        let own = !example.region.isEmpty && Bool.random(using: &random)
        return (punctuated, own ? example.region : regions[Int.random(in: 0..<regions.count, using: &random)])
    }

    /// How a slice of the cases compared.
    struct Tally: Sendable {
        var cases = 0
        var answeredFast = 0
        var differences: [String] = []
    }

    /// Compares `count` cases. It yields every 512 so that, on the cooperative pool (a thread a core), the
    /// tests running beside it still get their turns: without that, 16 of these starved the pool for 25 s
    /// and other tests' waits overran their deadlines.
    static func compare(seed: UInt64, count: Int, examples: [Example]) async -> Tally {
        var random = SplitMix(state: seed)
        var tally = Tally()
        for index in 0..<count {
            if index % 512 == 511 { await Task.yield() }
            let (text, region) = makeCase(examples, &random)
            var fast = hpn_result()
            var reference = hpn_result()
            let answered = text.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { hpn_parse_fast($0.baseAddress, $0.count, region, &fast) }
            }
            _ = text.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { hpn_parse_reference($0.baseAddress, $0.count, region, &reference) }
            }
            tally.cases += 1
            guard answered == 1 else { continue }
            tally.answeredFast += 1
            let same = withUnsafeBytes(of: &fast) { a in withUnsafeBytes(of: &reference) { b in a.elementsEqual(b) } }
            if !same, tally.differences.count < 20 {
                tally.differences.append(
                    "\(String(decoding: text, as: UTF8.self)) in \(region): fast \(describe(fast)), libphonenumber \(describe(reference))")
            }
        }
        return tally
    }

    static func describe(_ result: hpn_result) -> String {
        let e164 = withUnsafeBytes(of: result.e164) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let region = withUnsafeBytes(of: result.region) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let extensionNumber = withUnsafeBytes(of: result.extension) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return "status \(result.parse_status) valid \(result.is_valid) possible \(result.is_possible) type \(result.number_type) "
            + "code \(result.country_code) written \(result.written_with_country_code) \(e164) \(region) extension \(extensionNumber)"
    }

    @Test("the fast path gives libphonenumber's answers (E.164, validity, type, region, extension) on 1,048,576 numbers")
    func sameAnswersAsLibphonenumber() async {
        let examples = Self.examples()
        #expect(examples.count > 100)
        let slices = 16
        let perSlice = 65_536
        let tally = await withTaskGroup(of: Tally.self) { group in
            for slice in 0..<slices {
                group.addTask { await Self.compare(seed: UInt64(slice) &* 0x1000_0000_01, count: perSlice, examples: examples) }
            }
            var total = Tally()
            for await part in group {
                total.cases += part.cases
                total.answeredFast += part.answeredFast
                total.differences += part.differences
            }
            return total
        }
        #expect(tally.cases == slices * perSlice)
        #expect(tally.differences.isEmpty, "\(tally.differences.count) differences, e.g.:\n\(tally.differences.joined(separator: "\n"))")
        // The fast path must answer most of these forms; a path that declined everything would pass above.
        #expect(Double(tally.answeredFast) / Double(tally.cases) > 0.9, "fast path answered \(tally.answeredFast) of \(tally.cases)")
    }

    @Test("an extension is given by the fast path and by libphonenumber alike", arguments: [
        ("+1 601 473 1975 x721", "721", true), ("+1 601 473 1975x.7", "7", true), ("+1 601 473 1975 X 0012", "0012", true),
        ("+1 601 473 1975 ext. 721", "721", false), ("+1 601 473 1975", "", true),
    ])
    func extensions(text: String, expected: String, fast: Bool) {
        var quick = hpn_result()
        var reference = hpn_result()
        let answered = text.withCString { hpn_parse_fast($0, strlen($0), "US", &quick) }
        _ = text.withCString { hpn_parse_reference($0, strlen($0), "US", &reference) }
        #expect((answered == 1) == fast)
        let found = withUnsafeBytes(of: reference.extension) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        #expect(found == expected)
        if fast { #expect(Self.describe(quick) == Self.describe(reference)) }
    }

    @Test("texts outside the fast path's forms are left to libphonenumber", arguments: [
        "+1 202 555 0123 ext. 45", "tel:+1-202-555-0123", "12", "+0 123 456", "0044 20 7946 0018#", "١٢٣٤٥٦٧٨٩",
        "+44 20 7946 0018 / x12", "+1 800 FLOWERS", "++44 20 7946 0018", "50 011 1222 +",
    ])
    func declinesOtherForms(text: String) {
        var result = hpn_result()
        let answered = text.withCString { hpn_parse_fast($0, strlen($0), "SA", &result) }
        #expect(answered == 0)
    }

    @Test("the fast path declines an unknown default region, which libphonenumber refuses")
    func unknownRegion() {
        var result = hpn_result()
        #expect("0500111222".withCString { hpn_parse_fast($0, strlen($0), "XX", &result) } == 0)
        #expect("0500111222".withCString { hpn_parse($0, strlen($0), "XX", &result) } == Int32(HPN_PARSE_INVALID_COUNTRY_CODE.rawValue))
    }
}
