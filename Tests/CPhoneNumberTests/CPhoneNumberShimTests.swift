import CPhoneNumber
import Foundation
import Testing

@Suite("libphonenumber shim")
struct CPhoneNumberShimTests {
    private func parse(_ text: String, region: String) -> hpn_result {
        var result = hpn_result()
        _ = text.withCString { hpn_parse($0, strlen($0), region, &result) }
        return result
    }

    private func e164(_ result: hpn_result) -> String {
        withUnsafeBytes(of: result.e164) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    private func region(_ result: hpn_result) -> String {
        withUnsafeBytes(of: result.region) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    @Test(
        "national, international, 00-prefixed and punctuated numbers format to E.164 with their region and type",
        arguments: [
            ("050 011 1222", "SA", "+966500111222", "SA", HPN_TYPE_MOBILE),
            ("+971 50 123 4567", "SA", "+971501234567", "AE", HPN_TYPE_MOBILE),
            ("00966-11-234-5678", "AE", "+966112345678", "SA", HPN_TYPE_FIXED_LINE),
            ("(202) 555-0123", "US", "+12025550123", "US", HPN_TYPE_FIXED_LINE_OR_MOBILE),
            ("07400 123456", "GB", "+447400123456", "GB", HPN_TYPE_MOBILE),
            ("06 12 34 56 78", "FR", "+33612345678", "FR", HPN_TYPE_MOBILE),
        ])
    func formatsE164(input: String, defaultRegion: String, expected: String, expectedRegion: String, type: hpn_number_type) {
        let result = parse(input, region: defaultRegion)
        #expect(result.parse_status == Int32(HPN_PARSE_OK.rawValue))
        #expect(result.is_valid == 1)
        #expect(e164(result) == expected)
        #expect(region(result) == expectedRegion)
        #expect(result.number_type == Int32(type.rawValue))
    }

    @Test("invalid and non-numbers are reported, not formatted")
    func invalid() {
        #expect(parse("12345", region: "SA").is_valid == 0)
        #expect(parse("not a number", region: "SA").parse_status == Int32(HPN_PARSE_NOT_A_NUMBER.rawValue))
        #expect(parse("0500111222", region: "").parse_status == Int32(HPN_PARSE_INVALID_COUNTRY_CODE.rawValue))
        #expect(hpn_country_code_for_region("SA") == 966)
        #expect(hpn_country_code_for_region("XX") == 0)
    }
}
