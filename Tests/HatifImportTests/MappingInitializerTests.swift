import Foundation
import Testing
import Yams

@testable import HatifImport

@Suite("mapping init")
struct MappingInitializerTests {
    static let samples = [
        "google-contacts.csv", "outlook-contacts.csv", "excel-semicolon-1252.csv", "icloud-3.0.vcf", "android-2.1.vcf",
        "contacts-4.0.vcf", "crm-export.xml",
    ]

    @Test("each sample gets the checked-in mapping, which parses and validates the sample", arguments: samples)
    func sample(name: String) async throws {
        let path = MapperTests.sample(name)
        let yaml = try MappingInitializer(region: "SA").yaml(for: [path])
        let expected = try String(contentsOfFile: FixtureFiles.path("mapping-init/\(name).yml"), encoding: .utf8)
        // The header names the file as given; compare from the first line after it.
        #expect(yaml.split(separator: "\n").dropFirst(2) == expected.split(separator: "\n").dropFirst(2))
        let mapping = try MappingFile.parse(yaml)
        let summary = try await OfflineValidation(mapping: mapping).run(files: [path])
        #expect(summary.valid > 0)
        #expect(summary.valid + summary.rejects == summary.records)
    }

    @Test("known columns of Google, Outlook, HubSpot and Salesforce exports map to contact fields", arguments: [
        ("First Name", MappingTarget.firstName), ("Given Name", .firstName), ("FirstName", .firstName), ("Last Name", .lastName),
        ("Family Name", .lastName), ("Surname", .lastName), ("E-mail 1 - Value", .email), ("E-mail Address", .email),
        ("Email", .email), ("Mobile Phone", .phoneNumber), ("Phone 1 - Value", .phoneNumber), ("MobilePhone", .phoneNumber),
        ("Phone Number", .phoneNumber), ("Business Phone", .phoneNumber), ("N.given", .firstName), ("N.family", .lastName),
        ("TEL", .phoneNumber), ("EMAIL", .email), ("Téléphone", .phoneNumber), ("Prénom", .firstName),
    ])
    func knownColumns(header: String, target: MappingTarget) {
        #expect(MappingInitializer.knownColumns[MappingInitializer.normalise(header)]?.0 == target)
    }

    @Test("property names are snake_case, start with a letter and fit 64 characters")
    func propertyNames() {
        #expect(MappingInitializer.snakeCase("Organization Title") == "organization_title")
        #expect(MappingInitializer.snakeCase("Chiffre d'affaires") == "chiffre_d_affaires")
        #expect(MappingInitializer.snakeCase("2nd Phone") == "f_2nd_phone")
        #expect(MappingInitializer.snakeCase("loyalty/@tier") == "loyalty_tier")
        #expect(MappingInitializer.snakeCase(String(repeating: "a", count: 80)).count == 64)
        #expect(MappingInitializer.snakeCase("الاسم") == "")
    }

    @Test("dates: the format that reads every value wins, day first when both orders do")
    func dateFormats() {
        #expect(MappingInitializer.dateFormats(["17/03/2026", "01/02/2026"]) == ["dd/MM/yyyy"])
        #expect(MappingInitializer.dateFormats(["03/17/2026", "12/31/2026"]) == ["MM/dd/yyyy"])
        #expect(MappingInitializer.dateFormats(["2026-03-17"]) == ["yyyy-MM-dd"])
        #expect(MappingInitializer.dateFormats(["5/17/1990", "12/3/1985"]) == ["M/d/yyyy"], "Outlook's month first, without leading zeros")
    }

    @Test("Outlook's 0/0/00 for no birthday is no value: the column is a Date of the other values' format, filled by them only")
    func outlookZeroDates() async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "outlook-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appending(path: "outlook.csv").path
        let rows = (0..<40).map { "P\($0),p\($0)@example.com,\($0 % 4 == 0 ? "5/\($0 % 28 + 1)/1990" : "0/0/00")" }
        try Data((["First Name,E-mail Address,Birthday"] + rows).joined(separator: "\r\n").utf8).write(to: URL(fileURLWithPath: path))
        let report = try FileInspector().inspect(path)
        let birthday = try #require(report.fields.first { $0.name == "Birthday" })
        #expect(birthday.kind == .date && birthday.filled == 10)
        let mapping = try MappingFile.parse(try MappingInitializer(region: "SA").yaml(for: [path]))
        #expect(mapping.properties["birthday"]?.type == .date)
        #expect(mapping.fields.first { $0.source == ["Birthday"] }?.transforms == [.date(["M/d/yyyy"])])
        let summary = try await OfflineValidation(mapping: mapping).run(files: [path])
        #expect(summary.valid == 40 && summary.rejects == 0 && summary.withNotes == 0)
    }

    @Test("YAML scalars are quoted when they would not read back as the same string")
    func quoting() {
        #expect(MappingInitializer.quote("First Name") == "First Name")
        #expect(MappingInitializer.quote("@id") == "\"@id\"")
        #expect(MappingInitializer.quote("yes") == "\"yes\"")
        #expect(MappingInitializer.quote("42") == "\"42\"")
        #expect(MappingInitializer.quote("a: b") == "\"a: b\"")
    }

    /// Strings that plain or careless quoting would not read back: line breaks, tabs, edge spaces, YAML
    /// indicators, words YAML reads as something else, controls and the Unicode line separators. (Not a
    /// byte-order mark: libyaml drops U+FEFF wherever it stands, escaped or not.)
    static let awkward = [
        "Line one\nLine two, with comma", "Line one\r\nLine two", "a\rb", "tab\there", " leading", "trailing ", "  both  ",
        "two  spaces", "- dash", "-", "? question", ": colon", "a: b", "a #b", "#hash", "[bracket", "]", "{brace}", "a, b", "*star",
        "&anchor", "!tag", "|pipe", ">fold", "%percent", "@at", "`tick", "'single'", "\"double\"", "back\\slash", "yes", "No",
        "null", "~", "true", "off", "Y", "1e3", "0x1F", "1_000", "12:30", ".inf", "...", "---", "= equals", "É accented",
        "يفضل التواصل مساءً", "emoji 🎉", "bell\u{07}", "nul\u{0}", "del\u{7F}", "nel\u{85}", "ls\u{2028}ps\u{2029}",
        "x\u{1F}y", "trailing newline\n", "\nleading newline", "quote\"inside", "multi\n\n\nblank lines",
    ]

    @Test("every awkward string reads back exactly from the scalar quote writes", arguments: awkward)
    func quoteRoundTrips(text: String) throws {
        let yaml = "value: \(MappingInitializer.quote(text))\nlist: [\(MappingInitializer.quote(text)), end]\n"
        struct Holder: Decodable { var value: String; var list: [String] }
        let decoded = try YAMLDecoder().decode(Holder.self, from: yaml)
        #expect(decoded.value == text)
        #expect(decoded.list == [text, "end"])
    }

    @Test("mapping init writes awkward column names and choice options so that the mapping loads them back exactly")
    func awkwardNamesRoundTripThroughMappingInit() throws {
        let names = Self.awkward.filter { !$0.contains("\u{0}") && !$0.contains("\u{FEFF}") }
        let codes = ["a: b", "#x", "-y", "yes", "'q'", "\"d\"", "[z]"]
        var csv = (["Email", "Status"] + names).map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",") + "\n"
        for row in 0..<40 {
            let values = ["p\(row)@example.com", codes[row % codes.count]] + names.indices.map { "value \($0) of \(row)" }
            csv += values.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",") + "\n"
        }
        let path = try FixtureFiles.temporary(Array(csv.utf8), suffix: "\nodd name.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let yaml = try MappingInitializer(region: "SA").yaml(for: [path])
        let mapping = try MappingFile.parse(yaml)
        // The names as the CSV reader gives them (it trims a header's edge white space).
        let read = try FileInspector().inspect(path).fields.map(\.name).filter { $0 != "Email" && $0 != "Status" }
        #expect(read.count == names.count)
        let sources = Set(mapping.fields.flatMap(\.source))
        for name in read { #expect(sources.contains(name), "\(name.debugDescription) did not read back") }
        let status = try #require(mapping.properties["status"])
        #expect(status.type == .singleSelect)
        #expect(Set(status.options ?? []) == Set(codes))
        let displayNames = Set(mapping.properties.values.compactMap(\.displayName))
        for name in read { #expect(displayNames.contains(String(name.prefix(128))), "display name \(name.debugDescription)") }
    }

    @Test("free-text columns stay Text however few values the records looked at hold; categories and short codes become choice lists")
    func choiceListsOnlyForCategories() {
        func profile(_ name: String, _ values: [String], filled: Int = 100) -> FieldProfile {
            FieldProfile(
                name: name, filled: filled, fillRate: 1, distinct: values.count, distinctIsEstimate: false, samples: Array(values.prefix(3)),
                kind: .text, valueSample: values, fewDistinctValues: values)
        }
        let cities = ["Riyadh", "Jeddah", "Dubai", "Cairo", "Amman"]
        for name in ["Notes", "Address 1 - City", "City", "Mailing Country", "Company", "Job Title", "Description", "Street", "Organization Name"] {
            #expect(MappingInitializer.choiceList(profile(name, cities), displayName: name) == .text(why: "free text"), "\(name)")
        }
        #expect(MappingInitializer.choiceList(profile("Notes", ["Line one\nLine two, with comma", "Met at the expo"]), displayName: "Notes") == .text(why: "free text"))
        if case .choices(let options, _) = MappingInitializer.choiceList(profile("Lead Status", ["New", "Open", "Won"]), displayName: "Lead Status") {
            #expect(options == ["New", "Open", "Won"])
        } else {
            Issue.record("a status column is a category")
        }
        guard case .choices = MappingInitializer.choiceList(profile("Segment", ["A", "B", "C"]), displayName: "Segment") else {
            Issue.record("a segment column is a category")
            return
        }
        guard case .choices = MappingInitializer.choiceList(profile("Salutation", ["Mr.", "Ms.", "Dr."]), displayName: "Salutation") else {
            Issue.record("a handful of short codes is a choice list")
            return
        }
        #expect(MappingInitializer.choiceList(profile("Favourite", ["Blue sky", "Green field"]), displayName: "Favourite") == .text(why: "free text"), "values with spaces in a column of no category name")
        #expect(MappingInitializer.choiceList(profile("Code", ["A", "B"], filled: 6), displayName: "Code") == .text(why: "free text"), "too few records to call it codes")
    }

    @Test("names nested in XML map to FirstName and LastName whatever their spelling; another party's name does not")
    func nestedXMLNames() throws {
        for (given, family) in [("given", "family"), ("first", "last"), ("forename", "surname"), ("givenName", "familyName"), ("prénom", "nom"), ("الاسم_الأول", "اسم_العائلة")] {
            var xml = "<?xml version=\"1.0\"?><export>"
            for index in 0..<12 {
                xml += "<person><name><\(given)>G\(index)</\(given)><\(family)>F\(index)</\(family)></name><contact><mobile>05000000\(10 + index)</mobile></contact>"
                xml += "<company><name>Co \(index)</name></company></person>"
            }
            xml += "</export>"
            let path = try FixtureFiles.temporary(Array(xml.utf8), suffix: ".xml")
            defer { try? FileManager.default.removeItem(atPath: path) }
            let mapping = try MappingFile.parse(try MappingInitializer(region: "SA").yaml(for: [path]))
            let targets = Dictionary(mapping.fields.map { ($0.source.joined(separator: "+"), $0.target) }, uniquingKeysWith: { first, _ in first })
            #expect(targets["name/\(given)"] == .firstName, "\(given)")
            #expect(targets["name/\(family)"] == .lastName, "\(family)")
            #expect(targets["contact/mobile"] == .phoneNumber)
            #expect(targets["company/name"] == .property("company"), "a company's name is not the contact's")
        }
    }

    @Test("Arabic and other non-Latin headers find their standard fields")
    func arabicHeaders() {
        #expect(MappingInitializer.knownColumn("الاسم الأول")?.0 == .firstName)
        #expect(MappingInitializer.knownColumn("اسم العائلة")?.0 == .lastName)
        #expect(MappingInitializer.knownColumn("رقم الجوال")?.0 == .phoneNumber)
        #expect(MappingInitializer.knownColumn("البريد الإلكتروني")?.0 == .email)
        #expect(MappingInitializer.knownColumn("manager/phone") == nil)
    }

    @Test("digits of identifiers stay Text: a name that says so, a leading zero, more digits than a number keeps")
    func identifiers() {
        func profile(_ values: [String]) -> FieldProfile {
            FieldProfile(name: "x", filled: values.count, fillRate: 1, distinct: values.count, distinctIsEstimate: false, samples: [], kind: .number, valueSample: values)
        }
        #expect(MappingInitializer.isIdentifier(profile(["11000", "12001"]), displayName: "Postal Code"))
        #expect(MappingInitializer.isIdentifier(profile(["51234"]), displayName: "Record ID"))
        #expect(MappingInitializer.isIdentifier(profile(["1200", "0042"]), displayName: "Anything"))
        #expect(MappingInitializer.isIdentifier(profile(["1234567890123456"]), displayName: "Anything"))
        #expect(!MappingInitializer.isIdentifier(profile(["1200", "0.5", "42"]), displayName: "Revenue"))
    }

    @Test("Google's Labels column is group membership, left out with a comment")
    func googleLabels() throws {
        let yaml = try MappingInitializer(region: "SA").yaml(for: [MapperTests.sample("google-contacts.csv")])
        #expect(yaml.contains("  - Labels    # group membership"))
        #expect(!yaml.contains("property:labels"))
        #expect(yaml.contains("{source: Custom Field 1 - Value, target: \"property:loyalty_tier\""), "a custom field is named by its label")
    }
}
