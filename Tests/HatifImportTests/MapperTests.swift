import Foundation
import HatifAPI
import Testing

@testable import HatifImport

@Suite("Mapper")
struct MapperTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func sample(_ name: String) -> String { root.appending(path: "samples/\(name)").path }

    private func record(_ pairs: [(String, String)], line: Int = 2) -> SourceRecord {
        SourceRecord(
            ordinal: line - 1, location: SourceLocation(file: "contacts.csv", line: line, byteOffset: 0),
            names: pairs.map(\.0), values: pairs.map(\.1))
    }

    private func mapping(_ yaml: String) throws -> Mapper { Mapper(mapping: try MappingFile.parse(yaml)) }

    static let basic = """
        version: 1
        region: SA
        fields:
          - {source: Name, target: FirstName, transforms: [{split-name: first}]}
          - {source: Name, target: LastName, transforms: [{split-name: last}]}
          - {source: Phone, target: PhoneNumber}
          - {source: Work, target: PhoneNumber}
          - {source: Mail, target: Email}
          - {source: Tier, target: "property:tier"}
          - {source: Since, target: "property:since", transforms: [{date: [dd/MM/yyyy]}]}
        constants: {"property:source": crm-2026}
        properties:
          tier: {displayName: Tier, type: SingleSelect, options: [Gold, Silver]}
          since: {type: Date}
          source: {type: Text}
        """

    @Test("a cell with several phones or e-mails joined by \" ::: \" (Google Contacts) gives each, in one source field or in a join")
    func listedValues() throws {
        let mapper = try mapping(
            """
            version: 1
            region: SA
            fields:
              - {source: Phone, target: PhoneNumber}
              - {source: Mail, target: Email}
              - {source: [Code, Local], target: PhoneNumber, transforms: [{join: ""}]}
              - {source: Note, target: "property:note"}
            properties:
              note: {type: Text}
            """)
        let draft = try mapper.map(
            record([
                ("Phone", "011 234 5678 ::: +966 50 111 2222"), ("Mail", "not-an-address ::: Sara@Example.com"), ("Code", ""),
                ("Local", ""), ("Note", "a ::: b"),
            ])
        ).get()
        #expect(draft.phone?.e164 == "+966501112222", "the mobile of the two, by the primary rules")
        #expect(draft.email == "sara@example.com")
        #expect(draft.properties["note"] == "a ::: b", "other fields keep the cell as it is")
        #expect(draft.notes.contains { $0.contains("not-an-address") && $0.contains("dropped") })
        #expect(draft.notes.contains { $0.contains("+966112345678") && $0.contains("not imported") })
        let joined = try mapper.map(record([("Phone", ""), ("Mail", ""), ("Code", "+966"), ("Local", "501112222 ::: +966 55 333 4444")])).get()
        #expect(joined.phone?.e164 == "+966501112222")
        let one = try mapper.map(record([("Phone", "030/8049511 ext. 5"), ("Mail", "a+b@x.co")])).get()
        #expect(one.email == "a+b@x.co" && one.phone == nil, "a slash without spaces does not split a number")
    }

    @Test("a phone or e-mail cell as exports and mail programs write several, or a wrapped address, gives each value; other addresses are noted")
    func listedAndWrappedValues() throws {
        let mapper = try mapping(
            """
            version: 1
            region: SA
            fields:
              - {source: Phone, target: PhoneNumber}
              - {source: Mail, target: Email}
              - {source: Other Mail, target: Email}
            """)
        func draft(_ phone: String, _ mail: String, _ other: String = "") throws -> ContactDraft {
            try mapper.map(record([("Phone", phone), ("Mail", mail), ("Other Mail", other)])).get()
        }
        for (phone, mail) in [
            ("0501112222; 0553334444", "Sara Al-Harbi <Sara@Example.com>"), ("0501112222, 0553334444", "mailto:sara@example.com?subject=Hi"),
            ("0501112222 / 0553334444", "\"sara@example.com\""), ("0501112222 | 0553334444", "sara@example.com."),
            ("0501112222\n0553334444", "sara@example.com; omar@example.com"), ("0501112222\r\n0553334444", "sara@example.com, omar@example.com"),
        ] {
            let result = try draft(phone, mail)
            #expect(result.phone?.e164 == "+966501112222", "\(phone)")
            #expect(result.email == "sara@example.com", "\(mail)")
            #expect(result.notes.contains { $0.contains("+966553334444") && $0.contains("not imported") }, "\(phone) \(result.notes)")
            #expect(!result.notes.contains { $0.contains("dropped") }, "\(result.notes)")
        }
        let google = try draft("0501112222", "sara@example.com ::: omar@example.com")
        #expect(google.email == "sara@example.com" && !google.notes.contains { $0.contains("dropped") }, "\(google.notes)")
        let listed = try draft("0501112222", "sara@example.com; omar@example.com")
        #expect(listed.notes.contains("other email addresses not imported: omar@example.com"))
        let columns = try draft("0501112222", "sara@example.com", "Omar@Example.com")
        #expect(columns.email == "sara@example.com")
        #expect(columns.notes.contains("other email addresses not imported: omar@example.com"), "an address in another mapped column is not lost in silence")
        let same = try draft("0501112222", "sara@example.com", "SARA@example.com")
        #expect(!same.notes.contains { $0.contains("other email") }, "the same address twice is one")
        let partly = try draft("0501112222; 12", "sara@example.com; not-an-address")
        #expect(partly.phone?.e164 == "+966501112222" && partly.email == "sara@example.com")
        #expect(partly.notes.contains { $0.contains("\"12\"") && $0.contains("dropped") }, "\(partly.notes)")
        #expect(partly.notes.contains { $0.contains("\"not-an-address\"") && $0.contains("dropped") })
        let withExtension = try draft("+1 (601) 473-1975 x721", "")
        #expect(withExtension.phone?.e164 == "+16014731975")
        #expect(withExtension.notes.contains("extension 721 of +16014731975 not imported: E.164 has no room for it"), "\(withExtension.notes)")
        let parameter = try draft("+966501112222;ext=12", "")
        #expect(parameter.phone?.e164 == "+966501112222" && !parameter.notes.contains { $0.contains("dropped") }, "a ; that starts a parameter lists nothing")
        #expect(parameter.notes.contains { $0.contains("extension 12") })
        let exponent = try mapper.map(record([("Phone", "9,66501E+11"), ("Mail", ""), ("Other Mail", "")]))
        guard case .failure(let reject) = exponent else {
            Issue.record("a number a spreadsheet cut short was read as \(exponent)")
            return
        }
        #expect(reject.reason.contains("exponent form"), "one number that lost digits, not a list at its comma")
    }

    @Test("a record becomes a draft with E.164 phone, lower-case email and canonical properties")
    func draft() throws {
        let mapper = try mapping(Self.basic)
        let draft = try mapper.map(record([
            ("Name", "Al-Harbi, Sara"), ("Phone", "011 234 5678"), ("Work", "050 011 1222"), ("Mail", "Sara@Example.com"),
            ("Tier", "gold"), ("Since", "17/03/2020"),
        ])).get()
        #expect(draft.firstName == "Sara")
        #expect(draft.lastName == "Al-Harbi")
        #expect(draft.phone?.e164 == "+966500111222", "the mobile wins over the landline listed first")
        #expect(draft.email == "sara@example.com")
        #expect(draft.properties == ["tier": "Gold", "since": "2020-03-17", "source": "crm-2026"])
        #expect(draft.notes == ["other phone numbers not imported: +966112345678"])
        #expect(draft.contactInput.phoneNumber == "+966500111222")
    }

    @Test("a record with neither a valid phone nor a valid email is a reject naming the field and value")
    func noKey() throws {
        let mapper = try mapping(Self.basic)
        guard case .failure(let reject) = mapper.map(record([("Name", "Sara"), ("Phone", "12345")], line: 1043)) else {
            Issue.record("expected a reject")
            return
        }
        #expect("\(reject)" == "contacts.csv:1043 Phone \"12345\": not a valid number for SA")
        guard case .failure(let none) = mapper.map(record([("Name", "Sara")])) else { Issue.record("expected a reject"); return }
        #expect(none.reason == "neither a phone number nor an email")
    }

    @Test("an invalid phone is dropped with a note when a valid email remains")
    func invalidPhoneDropped() throws {
        let draft = try mapping(Self.basic).map(record([("Phone", "12345"), ("Mail", "a@b.co")])).get()
        #expect(draft.phone == nil)
        #expect(draft.email == "a@b.co")
        #expect(draft.notes == ["Phone \"12345\" dropped: not a valid number for SA"])
    }

    @Test("a value missing from a choice list is kept for the list to grow, unless the list is closed")
    func openChoiceLists() throws {
        let open = try mapping(Self.basic)
        #expect(try open.map(record([("Phone", "0500111222"), ("Tier", " Platinum ")])).get().properties["tier"] == "Platinum")
        #expect(try open.map(record([("Phone", "0500111222"), ("Tier", "silver")])).get().properties["tier"] == "Silver", "spelled as its option")
        guard case .failure(let semicolon) = open.map(record([("Phone", "0500111222"), ("Tier", "a;b")])) else {
            Issue.record("a SingleSelect option cannot hold ';'")
            return
        }
        #expect(semicolon.field == "Tier")
        var choices = ChoiceOptions(options: ["tier": ["Gold", "Silver"]])
        var draft = try open.map(record([("Phone", "0500111222"), ("Tier", "platinum")])).get()
        choices.settle(&draft)
        var twin = try open.map(record([("Phone", "0500111223"), ("Tier", "PLATINUM")])).get()
        choices.settle(&twin)
        #expect(draft.properties["tier"] == "platinum" && twin.properties["tier"] == "platinum", "one spelling per option")
        #expect(choices.takeAdded() == ["tier": ["platinum"]])
        #expect(choices.takeAdded().isEmpty)
        #expect(choices.options["tier"] == ["Gold", "Silver", "platinum"])
    }

    @Test("closed: true closes one choice list of an open mapping, and closed: false opens one of a closed mapping")
    func perPropertyOptionPolicy() throws {
        let open = try MappingFile.parse(Self.basic.replacingOccurrences(
            of: "tier: {displayName: Tier, type: SingleSelect, options: [Gold, Silver]}",
            with: "tier: {displayName: Tier, type: SingleSelect, options: [Gold, Silver], closed: true}"))
        #expect(!open.growsOptions(of: "tier"))
        guard case .failure = Mapper(mapping: open).map(record([("Phone", "0500111222"), ("Tier", "Platinum")])) else {
            Issue.record("a closed list refuses a new value")
            return
        }
        let closed = try MappingFile.parse(Self.basic.replacingOccurrences(
            of: "tier: {displayName: Tier, type: SingleSelect, options: [Gold, Silver]}",
            with: "tier: {displayName: Tier, type: SingleSelect, options: [Gold, Silver], closed: false}") + "\noptions: closed")
        #expect(closed.growsOptions(of: "tier"))
        #expect(!closed.growsOptions(of: "since"), "a Date property has no options to grow")
        #expect(try Mapper(mapping: closed).map(record([("Phone", "0500111222"), ("Tier", "Platinum")])).get().properties["tier"] == "Platinum")
    }

    @Test("invalid: drop leaves a value that does not fit out with a note; the record is imported")
    func invalidDrop() throws {
        let mapping = try MappingFile.parse(Self.basic.replacingOccurrences(
            of: "{source: Since, target: \"property:since\", transforms: [{date: [dd/MM/yyyy]}]}",
            with: "{source: Since, target: \"property:since\", transforms: [{date: [dd/MM/yyyy]}], invalid: drop}"))
        let draft = try Mapper(mapping: mapping).map(record([("Phone", "0500111222"), ("Since", "31/02/2020")])).get()
        #expect(draft.properties["since"] == nil)
        #expect(draft.notes == ["Since \"31/02/2020\" left out: not a date in the format dd/MM/yyyy"])
        #expect(try MappingFile.parse(try mapping.yaml()) == mapping, "invalid: drop is written back")
    }

    @Test("a possible number the metadata does not know is kept with a note, and a valid one is preferred to it")
    func keptPhone() throws {
        let mapper = try mapping(Self.basic)
        let draft = try mapper.map(record([("Phone", "+92 339 255 3780"), ("Mail", "a@b.co")])).get()
        #expect(draft.phone?.e164 == "+923392553780")
        let phone = try #require(draft.phone)
        guard !phone.isValid else { return }  // a newer libphonenumber knows the number: nothing is kept
        #expect(draft.notes.contains { $0.contains(PhoneNumber.keptMarker) && $0.contains("+923392553780") })
        let both = try mapper.map(record([("Phone", "+92 339 255 3780"), ("Work", "011 234 5678")])).get()
        #expect(both.phone?.e164 == "+966112345678", "the valid number wins over the kept one")
        let strict = Mapper(mapping: try MappingFile.parse(Self.basic), strictPhones: true)
        let dropped = try strict.map(record([("Phone", "+92 339 255 3780"), ("Mail", "a@b.co")])).get()
        #expect(dropped.phone == nil)
        #expect(dropped.notes == ["Phone \"+92 339 255 3780\" dropped: not a valid number for PK"])
    }

    @Test("a property value that does not fit is a reject")
    func badProperty() throws {
        let mapper = Mapper(mapping: try MappingFile.parse(Self.basic + "\noptions: closed"))
        guard case .failure(let tier) = mapper.map(record([("Phone", "0500111222"), ("Tier", "Platinum")])) else {
            Issue.record("expected a reject")
            return
        }
        #expect(tier.field == "Tier")
        #expect(tier.reason == "does not fit property tier: expected one of: Gold, Silver")
        guard case .failure(let date) = mapper.map(record([("Phone", "0500111222"), ("Since", "31/02/2020")])) else {
            Issue.record("expected a reject")
            return
        }
        #expect(date.reason == "not a date in the format dd/MM/yyyy")
    }

    @Test("a date of zeros (Outlook's 0/0/00, MySQL's 0000-00-00) is no date: the property stays unset, with no reject and no note")
    func zeroDates() throws {
        let transformed = Mapper(mapping: try MappingFile.parse(Self.basic))
        let plain = Mapper(
            mapping: try MappingFile.parse(
                "version: 1\nregion: SA\nfields:\n  - {source: Phone, target: PhoneNumber}\n  - {source: Born, target: \"property:born\"}\n"
                    + "properties:\n  born: {displayName: Born, type: Date}\n"))
        for zero in ["0/0/00", "00/00/0000", "0000-00-00", "0000-00-00 00:00:00", "00.00.0000"] {
            guard case .success(let draft) = transformed.map(record([("Phone", "0500111222"), ("Since", zero)])),
                case .success(let unchecked) = plain.map(record([("Phone", "0500111222"), ("Born", zero)]))
            else {
                Issue.record("\(zero) made a reject")
                continue
            }
            #expect(draft.properties["since"] == nil && draft.notes.isEmpty, "\(zero): \(draft)")
            #expect(unchecked.properties["born"] == nil && unchecked.notes.isEmpty, "\(zero): \(unchecked)")
        }
        // A date of zeros is only that: one digit that is not a zero is a date to read, or a reject.
        guard case .failure(let date) = transformed.map(record([("Phone", "0500111222"), ("Since", "00/01/2020")])) else {
            Issue.record("expected a reject")
            return
        }
        #expect(date.reason == "not a date in the format dd/MM/yyyy")
        #expect(!DateParser.isZeroDate("0") && !DateParser.isZeroDate("000") && !DateParser.isZeroDate("0/0/01"))
    }

    @Test("mapping files that cannot work are refused before any record is read", arguments: [
        ("version: 2\nregion: SA\nfields: [{source: a, target: Email}]", "version 2"),
        ("region: XX\nfields: [{source: a, target: Email}]", "region XX"),
        ("fields: [{source: a, target: FirstName}]", "nothing is mapped to PhoneNumber or Email"),
        ("fields: [{source: a, target: Email}, {source: b, target: \"property:tier\"}]", "not defined"),
        ("fields: [{source: a, target: Phone}]", "target must be"),
        ("fields: [{source: a, target: PhoneNumber}]", "no region"),
        ("region: SA\nfields: [{source: a, target: Email, transforms: [sparkle]}]", "unknown transform sparkle"),
        ("fields: [{source: a, target: Email}, {source: b, target: \"property:t\"}]\nproperties: {t: {type: SingleSelect}}", "without options"),
    ])
    func invalidMappings(yaml: String, message: String) {
        let error = #expect(throws: MappingError.self) { try MappingFile.parse(yaml) }
        #expect(error.map { "\($0)".contains(message) } == true, "\(String(describing: error))")
    }

    @Test("of several vCard values the preferred one wins (PREF=n, TYPE=pref, a bare 2.1 PREF); without a mark, the first in the file")
    func vCardPreference() throws {
        let cards = [
            // 4.0: PREF=1 before PREF=2 before none, whatever their order in the file.
            "BEGIN:VCARD\r\nVERSION:4.0\r\nN:Uri;Ana;;;\r\nEMAIL:none@example.com\r\nEMAIL;PREF=2:two@example.com\r\n"
                + "EMAIL;PREF=1:one@example.com\r\nTEL;TYPE=cell:+1 201 555 0100\r\nTEL;TYPE=\"cell,voice\";PREF=1:+1 201 555 0111\r\nEND:VCARD\r\n",
            // 3.0: TYPE=pref, also in a list.
            "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lee;Bo;;;\r\nEMAIL;TYPE=INTERNET:first@example.com\r\n"
                + "EMAIL;TYPE=INTERNET,pref:pref@example.com\r\nEND:VCARD\r\n",
            // 2.1: a bare PREF among the types.
            "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Kim;Cy;;;\r\nTEL;HOME:+44 20 7946 0000\r\nTEL;CELL;PREF:+44 7911 123456\r\n"
                + "EMAIL;INTERNET:a@example.com\r\nEND:VCARD\r\n",
            // No marks: the file's order, as before.
            "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe;Di;;;\r\nEMAIL:b1@example.com\r\nEMAIL:b2@example.com\r\nEND:VCARD\r\n",
            // A PREF that is not a number from 1 to 100 still comes before unmarked values, after valid ranks.
            "BEGIN:VCARD\r\nVERSION:4.0\r\nN:Roe;Ed;;;\r\nEMAIL:plain@example.com\r\nEMAIL;PREF=x:odd@example.com\r\nEND:VCARD\r\n",
        ]
        let items = try FixtureFiles.readAll(cards.joined(), suffix: ".vcf") { try VCardReader(path: $0) }
        let mapper = try mapping(
            """
            version: 1
            region: US
            primary: {phone: [any]}
            fields:
              - {source: N.given, target: FirstName}
              - {source: EMAIL, target: Email}
              - {source: TEL, target: PhoneNumber}
            """)
        var positions = SourcePositions()
        let drafts = try items.compactMap(\.record).map { try mapper.map($0, positions: &positions).get() }
        #expect(drafts.map(\.email) == ["one@example.com", "pref@example.com", "a@example.com", "b1@example.com", "odd@example.com"])
        #expect(drafts.map { $0.phone?.e164 } == ["+12015550111", nil, "+447911123456", nil, nil])
        // The record itself keeps the file's order.
        #expect(items.first?.record?.first("EMAIL") == "none@example.com")
    }

    @Test("positions kept across records follow each change of shape, told by identity without a count")
    func positionsAcrossShapes() throws {
        let mapper = try mapping(
            """
            version: 1
            region: US
            fields:
              - {source: name, target: FirstName}
              - {source: email, target: Email}
            """)
        let place = SourceLocation(file: "in.csv", line: 2, byteOffset: 0)
        let first = SourceRecord(ordinal: 1, location: place, names: ["name", "email"], values: ["Ann", "ann@example.com"])
        let swapped = SourceRecord(ordinal: 2, location: place, names: ["email", "name"], values: ["bob@example.com", "Bob"])
        let wider = SourceRecord(ordinal: 3, location: place, names: ["x", "email", "name"], values: ["-", "cy@example.com", "Cy"])
        #expect(first.shapeIdentifier == ObjectIdentifier(first.shape))
        #expect(first.shapeIdentifier != swapped.shapeIdentifier)
        // Another shape object with the same names is another shape.
        let twin = SourceRecord(ordinal: 4, location: place, names: ["name", "email"], values: ["Di", "di@example.com"])
        #expect(first.shapeIdentifier != twin.shapeIdentifier)
        // Many shapes, each with the two fields elsewhere, met in turns and again.
        let many = (0..<67).map { count in
            let names = (0..<count).map { "x\($0)" } + ["email", "name"]
            let values = (0..<count).map { _ in "-" } + ["n\(count)@example.com", "N\(count)"]
            return SourceRecord(ordinal: 5 + count, location: place, names: count % 2 == 0 ? names : names.reversed(), values: count % 2 == 0 ? values : values.reversed())
        }
        var turns = [first, swapped, swapped, wider, first, twin, wider, first]
        for round in 0..<3 { turns += many.enumerated().flatMap { index, record in index % (round + 1) == 0 ? [record, first] : [record] } }
        var positions = SourcePositions()
        for record in turns {
            let kept = try mapper.map(record, positions: &positions).get()
            let fresh = try mapper.map(record).get()
            #expect(kept == fresh)
            #expect(kept.email?.hasPrefix(kept.firstName?.lowercased() ?? "?") == true)
        }
    }

    @Test("two mappings over records of one shape each find their own fields: the shape keeps the first one's positions")
    func twoMappingsOverOneShape() throws {
        let text = "name,work,home\nAnn,ann@work.example,ann@home.example\nBob,bob@work.example,bob@home.example\n"
        let records = try FixtureFiles.readAll(text, suffix: ".csv") { try CSVReader(path: $0) }.compactMap(\.record)
        #expect(records.count == 2)
        #expect(records[0].shapeIdentifier == records[1].shapeIdentifier)
        let work = try mapping("version: 1\nfields:\n  - {source: name, target: FirstName}\n  - {source: work, target: Email}\n")
        let home = try mapping("version: 1\nfields:\n  - {source: home, target: Email}\n  - {source: name, target: FirstName}\n")
        var workPositions = SourcePositions()
        var homePositions = SourcePositions()
        for record in records + records {
            let atWork = try work.map(record, positions: &workPositions).get()
            let atHome = try home.map(record, positions: &homePositions).get()
            #expect(atWork.email == "\(atWork.firstName?.lowercased() ?? "?")@work.example")
            #expect(atHome.email == "\(atHome.firstName?.lowercased() ?? "?")@home.example")
            // A copy of a mapper is the same mapping, with the positions the shape keeps.
            let copy = home
            #expect(try copy.map(record, positions: &workPositions).get() == atHome)
        }
        #expect(work.unmatchedSources.isEmpty && home.unmatchedSources.isEmpty)
    }

    @Test("the Google sample maps with its sample mapping; bad rows become rejects with reasons")
    func googleSample() throws {
        let mapper = Mapper(mapping: try MappingFile.load(path: Self.sample("google-mapping.yml")))
        var reader = try CSVReader(path: Self.sample("google-contacts.csv"))
        var drafts: [ContactDraft] = []
        var rejects: [RecordReject] = []
        while let item = try reader.next() {
            guard case .record(let record) = item else { continue }
            switch mapper.map(record) {
            case .success(let draft): drafts.append(draft)
            case .failure(let reject): rejects.append(reject)
            }
        }
        #expect(drafts.count + rejects.count == 25)
        #expect(drafts.count >= 22)
        #expect(drafts.allSatisfy { $0.phone != nil || $0.email != nil })
        #expect(drafts.allSatisfy { $0.properties["import_source"] == "google-2026" })
        #expect(drafts.contains { $0.properties["vip"] == "true" })
        #expect(drafts.allSatisfy { ($0.phone?.e164.hasPrefix("+")) ?? true })
        for reject in rejects { #expect(reject.location.file.hasSuffix("google-contacts.csv")) }
    }

    @Test("the Excel sample: French dates, decimal commas, oui/non, and its bad row rejected")
    func excelSample() throws {
        let mapper = Mapper(mapping: try MappingFile.load(path: Self.sample("excel-mapping.yml")))
        var reader = try CSVReader(path: Self.sample("excel-semicolon-1252.csv"))
        var results: [Result<ContactDraft, RecordReject>] = []
        while let item = try reader.next() {
            if case .record(let record) = item { results.append(mapper.map(record)) }
        }
        let chloe = try results[0].get()
        #expect(chloe.phone?.e164 == "+33612345678")
        #expect(chloe.properties["birthday"] == "1985-03-17")
        #expect(chloe.properties["revenue"] == "1234.5")
        #expect(chloe.properties["vip"] == "true")
        let juergen = try results[2].get()
        #expect(juergen.properties["birthday"] == "1988-02-29")
        #expect(juergen.properties["revenue"] == "98765.43")
        guard case .failure(let amelie) = results[5] else { Issue.record("the last row should be rejected"); return }
        #expect(amelie.location.line == 8, "Zoë's note spans two lines")
        #expect(amelie.field == "Téléphone" || amelie.field == "Date de naissance" || amelie.field == "Chiffre d'affaires" || amelie.field == "Client VIP")
    }
}
