import HatifAPI
import Testing

@Suite("Property values")
struct PropertyValueValidatorTests {
    @Test(
        "values are accepted in their canonical form",
        arguments: [
            (ContactPropertyType.number, "42.50", "42.5"), (.number, "-0007", "-7"), (.number, "0.0", "0"),
            (.number, "-0.0", "0"), (.boolean, "TRUE", "true"), (.boolean, "false", "false"),
            (.date, "2024-02-29", "2024-02-29"), (.dateTime, "2026-03-17T15:00:00+03:00", "2026-03-17T12:00:00Z"),
            // Fractional seconds (as exports from Salesforce and HubSpot write them) are read; the API's times are whole seconds.
            (.dateTime, "2026-03-17T15:00:00.250+03:00", "2026-03-17T12:00:00Z"), (.dateTime, "2026-03-17T12:00:00.999Z", "2026-03-17T12:00:00Z"),
            (.email, "Sara@Example.COM", "sara@example.com"), (.phone, "+966500111222", "+966500111222"),
            (.url, "https://hatif.example/x?y=1", "https://hatif.example/x?y=1"), (.text, "  keeps spaces ", "  keeps spaces "),
            (.singleSelect, "gold", "Gold"), (.multiSelect, "silver; Gold;silver", "Silver;Gold"),
        ])
    func canonical(type: ContactPropertyType, input: String, expected: String) {
        #expect(PropertyValueValidator.canonical(input, type: type, options: ["Gold", "Silver"]) == expected)
    }

    @Test(
        "values that do not fit their type or options are refused",
        arguments: [
            (ContactPropertyType.number, "1,5"), (.number, "abc"), (.number, "1e5"), (.boolean, "yes"),
            (.date, "2023-02-29"), (.date, "17/03/2026"), (.dateTime, "yesterday"), (.email, "no-at-sign"),
            (.phone, "0500111222"), (.phone, "+0123456789"), (.url, "ftp://x.example"), (.url, "not a url"),
            (.text, ""), (.singleSelect, "Platinum"), (.multiSelect, "Gold;Platinum"), (.multiSelect, ";"),
        ])
    func refused(type: ContactPropertyType, input: String) {
        #expect(PropertyValueValidator.canonical(input, type: type, options: ["Gold", "Silver"]) == nil)
    }

    @Test("an e-mail address is one as mail is sent to: no wrapping, list, URI prefix or misplaced dot passes")
    func emailAddresses() {
        for address in ["sara@example.com", "s.al-harbi+crm@mail.example.sa", "o'neil@example.ie", "user_1@sub.example.co.uk", "سارة@مثال.السعودية"] {
            #expect(PropertyValueValidator.isEmail(address), "\(address)")
        }
        for text in [
            "Sara <sara@example.com>", "<sara@example.com>", "mailto:sara@example.com", "sara@example.com;omar@example.com",
            "sara@example.com,omar@example.com", "sara@example.com omar@example.com", "a:b@example.com", "\"sara\"@example.com",
            "(sara)@example.com", "sara@[192.0.2.1]", "sara\\@example.com", ".sara@example.com", "sara.@example.com", "sa..ra@example.com",
            "sara@.example.com", "sara@example..com", "sara@example.com.", "sara@example", "@example.com", "sara@@example.com",
            "sara@exa\u{7F}mple.com", "sara\t@example.com",
        ] {
            #expect(!PropertyValueValidator.isEmail(text), "\(text)")
        }
    }

    @Test("calendar dates know month lengths and leap years")
    func calendarDates() {
        #expect(PropertyValueValidator.isCalendarDate("2000-02-29"))
        #expect(!PropertyValueValidator.isCalendarDate("1900-02-29"))
        #expect(!PropertyValueValidator.isCalendarDate("2026-04-31"))
        #expect(!PropertyValueValidator.isCalendarDate("2026-13-01"))
        #expect(!PropertyValueValidator.isCalendarDate("2026-00-10"))
    }
}

extension PropertyValueValidatorTests {
    @Test("property names follow ^[a-z][a-z0-9_]{0,63}$")
    func propertyNames() {
        for name in ["a", "loyalty_tier", "x9_", String(repeating: "a", count: 64)] { #expect(PropertyValueValidator.isPropertyName(name), "\(name)") }
        for name in ["", "9a", "_a", "Tier", "has-dash", "é", String(repeating: "a", count: 65)] {
            #expect(!PropertyValueValidator.isPropertyName(name), "\(name)")
        }
    }
}
