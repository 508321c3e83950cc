import Foundation
import Testing

@testable import HatifImport

@Suite("mapping init")
struct MappingInitializerTests {
    static let samples = [
        "google-contacts.csv", "outlook-contacts.csv", "excel-semicolon-1252.csv", "icloud-3.0.vcf", "android-2.1.vcf",
        "contacts-4.0.vcf", "crm-export.xml",
    ]

    @Test("each sample gets the checked-in mapping, which parses and validates the sample", arguments: samples)
    func sample(name: String) throws {
        let path = MapperTests.sample(name)
        let yaml = try MappingInitializer(region: "SA").yaml(for: [path])
        let expected = try String(contentsOfFile: FixtureFiles.path("mapping-init/\(name).yml"), encoding: .utf8)
        // The header names the file as given; compare from the first line after it.
        #expect(yaml.split(separator: "\n").dropFirst(2) == expected.split(separator: "\n").dropFirst(2))
        let mapping = try MappingFile.parse(yaml)
        let summary = try OfflineValidation(mapping: mapping).run(files: [path])
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
    }

    @Test("YAML scalars are quoted when they would not read back as the same string")
    func quoting() {
        #expect(MappingInitializer.quote("First Name") == "First Name")
        #expect(MappingInitializer.quote("@id") == "\"@id\"")
        #expect(MappingInitializer.quote("yes") == "\"yes\"")
        #expect(MappingInitializer.quote("42") == "\"42\"")
        #expect(MappingInitializer.quote("a: b") == "\"a: b\"")
    }
}
