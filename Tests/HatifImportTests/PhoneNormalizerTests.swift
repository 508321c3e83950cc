import Foundation
import Testing

@testable import HatifImport

@Suite("Phone numbers to E.164")
struct PhoneNormalizerTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var region: String
        var input: String
        var e164: String
        var type: PhoneNumber.LineType
        var testDescription: String { "\(region) \(input)" }
    }

    static let valid: [Case] = [
        // Saudi Arabia: national, international, 00, punctuated, landline.
        Case(region: "SA", input: "050 011 1222", e164: "+966500111222", type: .mobile),
        Case(region: "SA", input: "+966 50 011 1222", e164: "+966500111222", type: .mobile),
        Case(region: "SA", input: "00966500111222", e164: "+966500111222", type: .mobile),
        Case(region: "SA", input: "(050) 011-1222", e164: "+966500111222", type: .mobile),
        Case(region: "SA", input: "011 234 5678", e164: "+966112345678", type: .fixedLine),
        // United Arab Emirates.
        Case(region: "AE", input: "050 123 4567", e164: "+971501234567", type: .mobile),
        Case(region: "AE", input: "+971-50-123-4567", e164: "+971501234567", type: .mobile),
        Case(region: "AE", input: "00971 50 123 4567", e164: "+971501234567", type: .mobile),
        Case(region: "AE", input: "04 345 6789", e164: "+97143456789", type: .fixedLine),
        // Egypt.
        Case(region: "EG", input: "010 1234 5678", e164: "+201012345678", type: .mobile),
        Case(region: "EG", input: "+20 10 1234 5678", e164: "+201012345678", type: .mobile),
        Case(region: "EG", input: "0020 101 234 5678", e164: "+201012345678", type: .mobile),
        // United States: 011 is the exit code there.
        Case(region: "US", input: "(212) 736-5000", e164: "+12127365000", type: .fixedLineOrMobile),
        Case(region: "US", input: "+1 212.736.5000", e164: "+12127365000", type: .fixedLineOrMobile),
        Case(region: "US", input: "1-212-736-5000", e164: "+12127365000", type: .fixedLineOrMobile),
        Case(region: "US", input: "011 966 50 011 1222", e164: "+966500111222", type: .mobile),
        // United Kingdom.
        Case(region: "GB", input: "07400 123456", e164: "+447400123456", type: .mobile),
        Case(region: "GB", input: "+44 (0)7400 123456", e164: "+447400123456", type: .mobile),
        Case(region: "GB", input: "0044 7400 123456", e164: "+447400123456", type: .mobile),
        Case(region: "GB", input: "020 7946 0018", e164: "+442079460018", type: .fixedLine),
        // India.
        Case(region: "IN", input: "098765 43210", e164: "+919876543210", type: .mobile),
        Case(region: "IN", input: "+91-98765-43210", e164: "+919876543210", type: .mobile),
        Case(region: "IN", input: "0091 98765 43210", e164: "+919876543210", type: .mobile),
        // France.
        Case(region: "FR", input: "06 12 34 56 78", e164: "+33612345678", type: .mobile),
        Case(region: "FR", input: "+33 6 12 34 56 78", e164: "+33612345678", type: .mobile),
        Case(region: "FR", input: "0033 6 12 34 56 78", e164: "+33612345678", type: .mobile),
        Case(region: "FR", input: "01.23.45.67.89", e164: "+33123456789", type: .fixedLine),
        // Germany.
        Case(region: "DE", input: "0151 23456789", e164: "+4915123456789", type: .mobile),
        Case(region: "DE", input: "+49 (0)151 23456789", e164: "+4915123456789", type: .mobile),
        Case(region: "DE", input: "0049 151 23456789", e164: "+4915123456789", type: .mobile),
        Case(region: "DE", input: "030 1234567", e164: "+49301234567", type: .fixedLine),
        // Brazil.
        Case(region: "BR", input: "(11) 91234-5678", e164: "+5511912345678", type: .mobile),
        Case(region: "BR", input: "+55 (11) 91234-5678", e164: "+5511912345678", type: .mobile),
        // Pakistan.
        Case(region: "PK", input: "0300 1234567", e164: "+923001234567", type: .mobile),
        Case(region: "PK", input: "+92 300 1234567", e164: "+923001234567", type: .mobile),
        Case(region: "PK", input: "0092-300-1234567", e164: "+923001234567", type: .mobile),
        // Another region's number written internationally, read in a different default region.
        Case(region: "SA", input: "+44 7400 123456", e164: "+447400123456", type: .mobile),
    ]

    @Test("national, international, 00-prefixed and punctuated numbers of ten regions become E.164", arguments: valid)
    func validNumbers(_ example: Case) throws {
        let normalizer = try #require(PhoneNormalizer(defaultRegion: example.region))
        let number = try normalizer.normalize(example.input).get()
        #expect(number.e164 == example.e164)
        #expect(number.type == example.type)
    }

    @Test(
        "invalid numbers are refused with a reason",
        arguments: [
            ("SA", "12345", "not a valid number for SA"), ("SA", "050 011", "not a valid number for SA"),
            ("SA", "abc", "not a phone number"), ("SA", "", "no number"), ("US", "+999 1234567", "unknown country code"),
            ("DE", "0151 2345678901234567", "too long"), ("FR", "00 00 00 00 00", "not a valid number for FR"),
        ])
    func invalidNumbers(region: String, input: String, reason: String) throws {
        let normalizer = try #require(PhoneNormalizer(defaultRegion: region))
        guard case .failure(let problem) = normalizer.normalize(input) else {
            Issue.record("\(input) was accepted")
            return
        }
        #expect(problem.description == reason)
    }

    @Test("a number a spreadsheet wrote as a number is read when every digit is there, and refused with why when the exponent form left digits out")
    func spreadsheetNumbers() throws {
        let normalizer = try #require(PhoneNormalizer(defaultRegion: "SA"))
        for input in ["9.66501112222E+11", "9.66501112222e11", "966501112222.0", "0501112222.00", "5.01112222E+8", "9,66501112222E+11"] {
            #expect((try? normalizer.normalize(input).get())?.e164 == "+966501112222", "\(input)")
        }
        // Read by libphonenumber as vanity letters, these gave a wrong number or a bare "not a phone number".
        for input in ["9.66501E+11", "9.66501E11", "9,66501E+11", "5.0111E+08", "9E+11"] {
            #expect(normalizer.normalize(input) == .failure(.exponentForm), "\(input)")
        }
        #expect(PhoneNumberProblem.exponentForm.description.contains("format the column as text"))
        // Not numbers so written: left to libphonenumber as before.
        for input in ["050.111.2222", "0501.112222", "+966501112222", "0501112222", "1.5", "12.5E", "12.5E+", "E+11", ".5E+3", "5E+1+1"] {
            #expect(PhoneNormalizer.spreadsheetNumber(input) == nil, "\(input)")
        }
        #expect((try? normalizer.normalize("050.111.2222").get())?.e164 == "+966501112222")
    }

    @Test("an unknown default region is refused")
    func unknownRegion() {
        #expect(PhoneNormalizer(defaultRegion: "XX") == nil)
        #expect(PhoneNormalizer(defaultRegion: "sa")?.defaultRegion == "SA")
    }

    /// Numbers valid under today's phone metadata (phonenumbers 9.0.43) that Debian 12's 2022 metadata does
    /// not know: (region, E.164, as written).
    static let newerMetadata: [(String, String, String)] = {
        let text = (try? String(contentsOfFile: FixtureFiles.path("phones/newer-metadata.tsv"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let columns = line.split(separator: "\t").map(String.init)
            return (columns[0], columns[1], columns[2])
        }
    }()

    @Test("numbers of today's numbering plans that the system's metadata does not know are kept in E.164, marked to check")
    func newerNumbersKept() throws {
        #expect(Self.newerMetadata.count >= 20)
        #expect(Self.newerMetadata.contains { $0.1 == "+923392553780" }, "the Pakistani number of the report")
        let normalizer = try #require(PhoneNormalizer(defaultRegion: "SA"))
        let strict = try #require(PhoneNormalizer(defaultRegion: "SA", strict: true))
        var kept = 0
        for (region, e164, written) in Self.newerMetadata {
            let number = try normalizer.normalize(written).get()
            #expect(number.e164 == e164, "\(region) \(written)")
            if number.isValid {
                continue  // a newer libphonenumber knows it: nothing to keep
            }
            kept += 1
            #expect(number.keptNote?.contains(PhoneNumber.keptMarker) == true)
            #expect(number.type == .unknown)
            guard case .failure = strict.normalize(written) else {
                Issue.record("strict kept \(written)")
                continue
            }
        }
        if PhoneMetadata.current.version?.hasPrefix("8.12.") == true { #expect(kept == Self.newerMetadata.count, "8.12 knows none of them") }
    }

    @Test("numbers that are not possible, or implausible (a national part starting with 0, one digit repeated), are still refused")
    func implausibleNumbersRefused() throws {
        let normalizer = try #require(PhoneNormalizer(defaultRegion: "FR"))
        for input in ["00 00 00 00 00", "+33 0 12 34 56 78", "+92 33", "+92 339 255 3780 1234 5"] {
            guard case .failure = normalizer.normalize(input) else {
                Issue.record("\(input) was kept")
                continue
            }
        }
        let saudi = try #require(PhoneNormalizer(defaultRegion: "SA"))
        for national in ["0300 1234567", "07400 123456"] {
            guard case .failure = saudi.normalize(national) else {
                Issue.record("\(national), a foreign number typed without its country code, was kept as a Saudi number")
                continue
            }
        }
        #expect(!PhoneNormalizer.isPlausible("+966111111111", countryCode: 966, region: "SA"))
        #expect(!PhoneNormalizer.isPlausible("+33012345678", countryCode: 33, region: "FR"))
        #expect(PhoneNormalizer.isPlausible("+390612345678", countryCode: 39, region: "IT"), "Italy keeps its leading 0")
        #expect(PhoneNormalizer.isPlausible("+923392553780", countryCode: 92, region: "PK"))
    }

    @Test("the phone metadata's version is read from the package or the library's file name")
    func metadataVersion() {
        let status = """
            Package: libphonenumber-dev
            Status: install ok installed
            Version: 8.12.57+ds-3

            Package: libphonenumber8
            Status: install ok installed
            Version: 1:8.12.57+ds-3
            """
        #expect(PhoneMetadata.packageVersion(in: status) == "8.12.57")
        let removed = """
            Package: libphonenumber7
            Status: deinstall ok config-files
            Version: 7.1.0-5
             a continuation line
             Package: libphonenumber-in-a-description


            Package: libphonenumber8
            Priority: optional
            Version: 8.13.1-1~bpo
            Status: install ok installed
            """
        #expect(PhoneMetadata.packageVersion(in: removed) == "8.13.1")
        #expect(PhoneMetadata.packageVersion(in: "Package: libphonenumber8\nVersion: 8.1\n") == nil, "not installed")
        let maps = "7f00-7f01 r-xp 00000000 08:01 123 /usr/lib/x86_64-linux-gnu/libphonenumber.so.8.12\n"
        #expect(PhoneMetadata.detectVersion(maps: maps, dpkgStatus: { status }) == "8.12.57")
        #expect(PhoneMetadata.detectVersion(maps: "", dpkgStatus: { status }) == nil)
        #expect(PhoneMetadata(version: "8.12.57").description == "libphonenumber 8.12.57 (2022)")
        #expect(PhoneMetadata.current.version != nil, "this machine's library is found")
        // The byte split gives the lines the text split gives, whatever the script.
        let text = "Package: a\nDescription: café ☕️ — ü\n\n \u{0301}x\nStatus: y"
        #expect(PhoneMetadata.lines(of: text) == text.split(separator: "\n", omittingEmptySubsequences: false))
        #expect(PhoneMetadata.packageVersion(in: "Package: libphonenumber8\nStatus: installed\nVersion: 9.0.1\n") == "9.0.1")
        #expect(PhoneMetadata.packageVersion(in: "Package: libphonenumber8\nStatus:installed\nVersion: 9.0.1\n") == nil)
    }
}
