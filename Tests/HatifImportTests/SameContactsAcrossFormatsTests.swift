import Foundation
import Testing

@testable import HatifImport

/// The same 50 synthetic contacts, written as CSV, vCard and XML, read back to the same values.
@Suite("Same contacts in every format")
struct SameContactsAcrossFormatsTests {
    /// The values a contact carries, whatever the format's field names.
    struct Values: Equatable, CustomStringConvertible {
        var first, last, email, company, jobTitle, city, country, birthday, notes: String
        var phones: [String]

        var description: String { "\(first) \(last) \(phones) \(email) \(company) \(city) \(notes.debugDescription)" }
    }

    /// Per format: where each value sits in a record.
    static let fieldNames: [SampleFormat: [String]] = [
        .csv: ["first_name", "last_name", "email", "company", "job_title", "city", "country", "birthday", "notes"],
        .xlsx: ["first_name", "last_name", "email", "company", "job_title", "city", "country", "birthday", "notes"],
        .vcf: ["N.given", "N.family", "EMAIL", "ORG", "TITLE", "ADR.locality", "ADR.country", "BDAY", "NOTE"],
        .xml: ["firstName", "lastName", "email", "company", "jobTitle", "address/city", "address/country", "birthday", "note"],
    ]

    static func values(of record: SourceRecord, format: SampleFormat) -> Values {
        let names = fieldNames[format]!
        let get = { (index: Int) in record.first(names[index]) ?? "" }
        let phones: [String]
        switch format {
        case .csv, .xlsx: phones = [record.first("phone") ?? "", record.first("phone_2") ?? ""].filter { !$0.isEmpty }
        case .vcf: phones = record.values("TEL")
        case .xml: phones = record.values("phones/phone")
        }
        return Values(
            first: get(0), last: get(1), email: get(2), company: get(3), jobTitle: get(4), city: get(5), country: get(6),
            birthday: get(7), notes: get(8), phones: phones)
    }

    static func expected(_ contact: SyntheticContact) -> Values {
        Values(
            first: contact.firstName, last: contact.lastName, email: contact.email, company: contact.company,
            jobTitle: contact.jobTitle, city: contact.city, country: contact.country, birthday: contact.birthday,
            notes: contact.notes, phones: contact.phones.map(\.number))
    }

    @Test("each format reads the 50 contacts back to the generator's values", arguments: SampleFormat.allCases)
    func roundTrip(format: SampleFormat) throws {
        let generator = SampleGenerator(seed: 7)
        let path = FileManager.default.temporaryDirectory.appending(path: "same-50-\(UUID().uuidString).\(format.rawValue)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SampleWriter(format: format, dialect: .plain, output: BufferedWriter(path: path)).write(count: 50, generator: generator)
        var opened = try ReaderOptions().open(path)
        #expect(opened.format.rawValue == format.rawValue)
        let items = try opened.reader.readAll()
        #expect(items.count == 50)
        let records = items.compactMap(\.record)
        #expect(records.count == 50, "rejects: \(items.compactMap(\.reject))")
        for (index, record) in records.enumerated() {
            #expect(Self.values(of: record, format: format) == Self.expected(generator.contact(index)), "contact \(index + 1)")
        }
    }

    @Test("the samples exercise the hard cases: Arabic and accented names, 2.1 and 4.0 cards, notes with line breaks")
    func samplesAreHard() {
        let contacts = (0..<50).map(SampleGenerator(seed: 7).contact)
        #expect(contacts.contains { $0.firstName.unicodeScalars.contains { $0.value >= 0x600 && $0.value <= 0x6FF } })
        #expect(contacts.contains { $0.firstName.unicodeScalars.contains { $0.value >= 0xC0 && $0.value <= 0x17F } || $0.lastName.unicodeScalars.contains { $0.value >= 0xC0 && $0.value <= 0x17F } })
        #expect(contacts.contains { $0.notes.contains("\n") })
        #expect(contacts.contains { $0.notes.contains("\"") })
        #expect(contacts.contains { $0.id % 10 == 0 } && contacts.contains { $0.id % 10 == 1 })
        #expect(Set(contacts.flatMap { $0.phones.map(\.number) }).count > 40)
    }
}
