import HatifAPI
import Testing

@testable import HatifImport

@Suite("Mapping transforms")
struct TransformTests {
    let phones = PhoneNormalizer(defaultRegion: "SA")

    private func apply(_ transform: Transform, _ value: String?) -> TransformResult { transform.apply(value, phones: phones) }

    @Test(
        "text transforms: trim, collapse, case, including Arabic, accented and RTL text",
        arguments: [
            (Transform.trim, "  Sara  ", "Sara"), (.collapseSpaces, " Al   Harbi\t Jr ", "Al Harbi Jr"),
            (.upper, "chloé", "CHLOÉ"), (.lower, "ÉLODIE", "élodie"), (.title, "josé muñoz", "José Muñoz"),
            (.title, "مُحَمَّد", "مُحَمَّد"), (.collapseSpaces, "محمد   بن   سلمان", "محمد بن سلمان"),
            (.trim, "\u{200F}سارة ", "\u{200F}سارة"),
        ])
    func text(transform: Transform, input: String, expected: String) {
        #expect(apply(transform, input) == .value(expected))
    }

    @Test(
        "collapse-spaces gives the same text with and without its byte-level shortcut, which takes single-spaced text of any script",
        arguments: [
            ("Sara Al-Harbi", true), ("Sara  Al-Harbi", false), (" Sara", false), ("Sara ", false), ("", false), (" ", false),
            ("a\tb", false), ("a\u{7F}b", false), ("x\u{1F}y", false), ("a\u{A0}b", false), ("a\r\nb", false), ("سارة  الحربي", false),
            ("سارة الحربي", true), ("José Müller", true), ("日本 語", true), ("Ωmega x", true), ("a \u{301}b", false), ("a\u{3000}b", false),
            ("a\u{2003}b", false), ("a\u{1680}b", false), ("a\u{85}b", false), ("x\u{600} y", true), ("é\u{301} ö", true), ("😀 x", true),
            ("a \u{64B}b", false), ("x \u{1F3FB}", false), ("x \u{E0061}", false), ("क \u{93F}", false), ("😀 \u{1F3FB}x", false),
        ])
    func collapseShortcut(input: String, shortcut: Bool) {
        let expected = input.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        #expect(apply(.collapseSpaces, input) == (expected.isEmpty ? .empty : .value(expected)))
        #expect(Transform.hasOnlySingleSpaces(input) == shortcut)
        if Transform.hasOnlySingleSpaces(input) { #expect(input == expected) }
    }

    @Test("collapse-spaces' shortcut never leaves a text that collapsing would change (200,000 random texts of tricky scalars)")
    func collapseShortcutRandom() {
        let alphabet: [Unicode.Scalar] = [
            " ", " ", " ", "a", "Z", "-", "\t", "\n", "\u{85}", "\u{A0}", "\u{1680}", "\u{2003}", "\u{2028}", "\u{202F}", "\u{205F}", "\u{3000}",
            "\u{301}", "\u{64B}", "\u{93F}", "\u{200C}", "\u{200D}", "\u{600}", "\u{1F3FB}", "\u{E0061}", "\u{1F1E6}", "\u{1100}", "\u{1161}",
            "\u{AC00}", "س", "ة", "é", "語", "😀", "\u{FE0F}", "\u{180E}", "\u{7F}", "\u{1F}",
        ]
        var generator = SystemRandomNumberGenerator()
        var taken = 0
        for _ in 0..<200_000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 1...6, using: &generator) { text.append(alphabet.randomElement(using: &generator)!) }
            let input = String(text)
            guard Transform.hasOnlySingleSpaces(input) else { continue }
            taken += 1
            #expect(input == input.split(whereSeparator: { $0.isWhitespace }).joined(separator: " "), "\(input.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        #expect(taken > 1_000)
    }

    @Test(
        "split-name handles \"Last, First\", several words and Arabic names without reordering",
        arguments: [
            ("Al-Harbi, Sara", "Sara", "Al-Harbi"), ("Sara Al-Harbi", "Sara", "Al-Harbi"),
            ("Mary Ann Smith", "Mary", "Ann Smith"), ("محمد بن سلمان", "محمد", "بن سلمان"), ("Cher", "Cher", ""),
            ("Dubois , Chloé", "Chloé", "Dubois"),
        ])
    func splitName(input: String, first: String, last: String) {
        #expect(apply(.splitName(.first), input) == .value(first))
        #expect(apply(.splitName(.last), input) == (last.isEmpty ? .empty : .value(last)))
    }

    @Test(
        "dates in listed formats, Excel serial days and ISO become YYYY-MM-DD",
        arguments: [
            (["dd/MM/yyyy"], "17/03/2026", "2026-03-17"), (["MM/dd/yyyy"], "03/17/2026", "2026-03-17"),
            (["yyyy-MM-dd"], "2026-03-17", "2026-03-17"), (["d.M.yy"], "7.3.26", "2026-03-07"),
            (["d.M.yy"], "7.3.85", "1985-03-07"), (["excel"], "45000", "2023-03-15"), (["excel"], "1", "1900-01-01"),
            (["excel"], "61", "1900-03-01"), (["iso"], "2026-03-17T12:00:00Z", "2026-03-17"),
            (["MM/dd/yyyy", "dd/MM/yyyy"], "17/03/2026", "2026-03-17"), (["yyyyMMdd"], "19840712", "1984-07-12"),
        ])
    func dates(formats: [String], input: String, expected: String) {
        #expect(apply(.date(formats), input) == .value(expected))
    }

    @Test("impossible dates are refused", arguments: ["31/04/2026", "29/02/2023", "2026-13-01", "yesterday", "17/03"])
    func badDates(input: String) {
        guard case .failure = apply(.date(["dd/MM/yyyy", "yyyy-MM-dd"]), input) else {
            Issue.record("\(input) was accepted")
            return
        }
    }

    @Test(
        "numbers with decimal commas and thousands separators become canonical",
        arguments: [
            ("1.234,50", nil, nil, "1234.5"), ("1,234.50", nil, nil, "1234.5"), ("12,00 €", nil, nil, "12"),
            ("1 234,5", nil, nil, "1234.5"), ("-0,50", nil, nil, "-0.5"), ("(42)", nil, nil, "-42"), ("1,234", nil, nil, "1234"),
            ("12,5", nil, nil, "12.5"), ("1.234", ",", ".", "1234"), ("3'000.25", nil, nil, "3000.25"), ("SAR 99.90", nil, nil, "99.9"),
        ] as [(String, String?, String?, String)])
    func numbers(input: String, decimal: String?, thousands: String?, expected: String) {
        #expect(apply(.number(decimal: decimal, thousands: thousands), input) == .value(expected))
    }

    @Test("booleans in several languages", arguments: [
        ("yes", "true"), ("No", "false"), ("TRUE", "true"), ("0", "false"), ("1", "true"), ("y", "true"), ("n", "false"),
        ("نعم", "true"), ("لا", "false"), ("oui", "true"), ("nein", "false"),
    ])
    func booleans(input: String, expected: String) {
        #expect(apply(.boolean, input) == .value(expected))
    }

    @Test("value maps, defaults, constants, regex replace, join, email and phone")
    func others() {
        #expect(apply(.map(["gold": "Gold", "VIP": "Gold"]), " vip ") == .value("Gold"))
        #expect(apply(.map(["gold": "Gold"]), "Bronze") == .value("Bronze"))
        #expect(apply(.defaultValue("Unknown"), nil) == .value("Unknown"))
        #expect(apply(.defaultValue("Unknown"), "Known") == .value("Known"))
        #expect(apply(.constant("crm"), "anything") == .value("crm"))
        #expect(apply(.replace(pattern: "^CRM-0*", with: ""), "CRM-00042") == .value("42"))
        #expect(apply(.replace(pattern: "([0-9]{3})([0-9]+)", with: "$1-$2"), "9665") == .value("966-5"))
        #expect(apply(.email, "  Sara@Example.COM ") == .value("sara@example.com"))
        #expect(apply(.email, "not-an-email") == .failure("not a valid email address"))
        #expect(apply(.phone(region: nil), "050 011 1222") == .value("+966500111222"))
        #expect(apply(.phone(region: "AE"), "050 123 4567") == .value("+971501234567"))
        #expect(apply(.phone(region: nil), "12345") == .failure("not a valid number for SA"))
        #expect(apply(.trim, "   ") == .empty)
        #expect(apply(.boolean, "maybe") == .failure("not a yes/no value"))
    }

    @Test("transforms round-trip through YAML in both spellings")
    func yaml() throws {
        let text = """
            version: 1
            region: SA
            fields:
              - source: Phone
                target: PhoneNumber
                transforms: [trim, {phone: ae}, {replace: {pattern: "a+", with: b}}, {date: [dd/MM/yyyy, excel]}, date,
                             {number: {decimal: ","}}, {map: {gold: Gold}}, {split-name: last}, {join: " "}, {default: x}]
            """
        let mapping = try MappingFile.parse(text)
        #expect(mapping.fields[0].transforms == [
            .trim, .phone(region: "AE"), .replace(pattern: "a+", with: "b"), .date(["dd/MM/yyyy", "excel"]),
            .date(DateParser.defaultFormats), .number(decimal: ",", thousands: nil), .map(["gold": "Gold"]), .splitName(.last),
            .join(" "), .defaultValue("x"),
        ])
        let again = try MappingFile.parse(try mapping.yaml())
        #expect(again == mapping)
    }
}
