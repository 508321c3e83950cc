import Foundation
import HatifAPI

/// Writes a starting mapping from the first records of the input files: known export columns (Google,
/// Outlook, HubSpot, Salesforce, iCloud/Android vCard, common XML names) go to contact fields, every other
/// non-empty column becomes a property with a snake_case name and an inferred type. Comments say why.
public struct MappingInitializer: Sendable {
    /// The region asked for; nil guesses it from the phone numbers (``guessRegion(_:fallback:)``).
    private let region: String?
    private let readerOptions: ReaderOptions
    private let sampleRecords: Int

    /// Creates an initializer; `region` is the default phone region written into the mapping, nil to
    /// guess it from the numbers written without a country code (``SA`` when they do not tell).
    public init(region: String? = nil, readerOptions: ReaderOptions = ReaderOptions(), sampleRecords: Int = 2000) {
        self.region = region?.uppercased()
        self.readerOptions = readerOptions
        self.sampleRecords = sampleRecords
    }

    /// Standard fields by normalised column name (``normalise(_:)``: letters and digits of any script).
    static let knownColumns: [String: (MappingTarget, String)] = {
        var table: [String: (MappingTarget, String)] = [:]
        func add(_ target: MappingTarget, _ why: String, _ names: [String]) {
            for name in names { table[normalise(name)] = (target, why) }
        }
        add(.firstName, "first name column", [
            "firstname", "givenname", "first", "fname", "forename", "prenom", "vorname", "nombre", "ngiven", "contactfirstname",
            "given", "givennames", "firstnames", "forenames", "prénoms", "الاسم الأول", "الاسم الاول", "الإسم الأول",
        ])
        add(.lastName, "last name column", [
            "lastname", "familyname", "surname", "last", "lname", "nom", "nachname", "apellido", "apellidos", "nfamily",
            "contactlastname", "family", "surnames", "lastnames", "nom de famille", "اسم العائلة", "العائلة", "اللقب", "الكنية",
        ])
        add(.phoneNumber, "phone column", [
            "phone", "phonenumber", "mobile", "mobilephone", "mobilephonenumber", "mobilenumber", "cell", "cellphone", "tel",
            "telephone", "telefon", "telefono", "phone1value", "phone2value", "phone3value", "businessphone", "businessphone2",
            "homephone", "homephone2", "primaryphone", "otherphone", "phonesphone", "whatsapp", "whatsappnumber",
            "الجوال", "رقم الجوال", "الهاتف", "رقم الهاتف", "الموبايل", "جوال", "هاتف",
        ])
        add(.email, "email column", [
            "email", "emailaddress", "email1value", "email2value", "email3value", "email2address", "email3address", "mail",
            "courriel", "emailsemail", "primaryemail", "workemail", "personalemail",
            "البريد الإلكتروني", "البريد الالكتروني", "الايميل", "الإيميل", "البريد",
        ])
        return table
    }()

    /// Columns that hold a whole name, split into first and last name when neither has a column of its own.
    static let fullNameColumns: Set<String> = Set(
        ["name", "fullname", "fn", "displayname", "contactname", "nomcomplet", "اسم", "الاسم", "الإسم", "الاسم الكامل"].map(normalise))

    /// Parents under which a name, phone or email is not the contact's own (`company/name`, `manager/phone`).
    static let otherPartyParents: Set<String> = [
        "company", "organization", "organisation", "org", "account", "employer", "manager", "owner", "assistant", "spouse",
        "referrer", "referredby", "emergencycontact", "partner", "parent", "agent", "salesrep", "createdby", "modifiedby",
    ]

    /// The standard field a column (a CSV header, a vCard property, an XML path) holds, if it is a known one.
    /// An XML path is known by its whole spelling, else by its last step (`name/given`, `person/@surname`)
    /// unless that step belongs to someone else (`company/name`, `manager/phone`).
    static func knownColumn(_ name: String) -> (MappingTarget, String)? {
        if let hit = knownColumns[normalise(name)] { return hit }
        let steps = name.split(separator: "/")
        guard steps.count > 1, let last = steps.last else { return nil }
        guard !otherPartyParents.contains(normalise(String(steps[steps.count - 2]))) else { return nil }
        return knownColumns[normalise(String(last))].map { ($0.0, "\($0.1), nested in \(steps.dropLast().joined(separator: "/"))") }
    }

    /// Words of a column name that mark free text: such a column is never made a choice list, however few
    /// values the records looked at have (the next million records hold other cities).
    static let freeTextWords: Set<String> = [
        "note", "notes", "comment", "comments", "description", "desc", "remark", "remarks", "memo", "bio", "about", "summary",
        "message", "details", "detail", "info", "address", "street", "city", "town", "village", "district", "neighborhood",
        "neighbourhood", "area", "state", "province", "region", "county", "country", "postal", "postcode", "zip", "company",
        "organization", "organisation", "org", "employer", "account", "department", "title", "job", "position", "name",
        "nickname", "website", "url", "email", "phone", "location", "building", "suite", "formatted", "extended", "subject",
        "reason", "interests", "hobbies", "occupation", "industry", "school", "university", "product", "campaign", "text",
        "ville", "adresse", "pays", "societe", "entreprise", "poste", "commentaire", "remarque",
    ]

    /// Words of a column name that mark a category (status, tier, stage, type …): its few values may be a
    /// choice list.
    static let categoryWords: Set<String> = [
        "status", "tier", "stage", "type", "kind", "level", "segment", "category", "class", "priority", "rating", "gender", "sex",
        "source", "channel", "plan", "lifecycle", "lifecyclestage", "rank", "grade", "membership", "subscription", "optin",
        "consent", "language", "lang", "currency", "vip", "tag", "tags", "statut", "niveau", "categorie", "genre", "tarif",
    ]

    /// Nicer property names for common columns.
    static let knownProperties: [String: String] = [
        "organizationname": "company", "company": "company", "companyname": "company", "org": "company", "orgname": "company",
        "accountname": "company", "societe": "company", "organizationtitle": "job_title", "jobtitle": "job_title",
        "title": "job_title", "birthday": "birthday", "bday": "birthday", "dateofbirth": "birthday", "birthdate": "birthday",
        "notes": "notes", "note": "notes", "address1city": "city", "city": "city", "adrlocality": "city", "mailingcity": "city",
        "homecity": "city", "addresscity": "city", "address1country": "country", "country": "country",
        "adrcountry": "country", "mailingcountry": "country", "homecountryregion": "country", "addresscountry": "country",
        "id": "source_id", "contactid": "source_id", "recordid": "source_id", "uid": "source_id",
    ]

    /// A field's decision.
    private enum Decision {
        case standard(MappingTarget, String)
        case split(String)
        case property(name: String, definition: MappingFile.PropertyDefinition, transforms: [Transform], why: String)
        case ignore(String)
    }

    /// The mapping, as commented YAML.
    public func yaml(for files: [String]) throws -> String {
        var fields: [FieldProfile] = []
        var seen = Set<String>()
        var formats: [String] = []
        let inspector = FileInspector(options: readerOptions)
        for file in files {
            let report = try inspector.inspect(file, limit: sampleRecords)
            formats.append("\(file) (\(report.format), \(report.records) records looked at)")
            for field in report.fields where seen.insert(field.name).inserted { fields.append(field) }
        }
        let decisions = decide(fields)
        let phoneValues = zip(fields, decisions).flatMap { field, decision -> [String] in
            if case .standard(.phoneNumber, _) = decision { return field.valueSample }
            return []
        }
        return render(decisions, fields: fields, sources: formats, region: chooseRegion(phoneValues))
    }

    /// The region to write and why; when fewer than half of the numbers written without a country code
    /// read in it, the comment says so (and names the one region that reads most of them, if one does),
    /// since those numbers will be dropped. The region is never guessed: permissive numbering plans (AT,
    /// DE) read almost any digits, so "the region that reads the most" is no evidence.
    private func chooseRegion(_ phoneValues: [String]) -> (code: String, why: String) {
        let chosen = region ?? "SA"
        var why = "phones written without a country code are read as \(chosen) numbers"
        if let warning = Self.regionWarning(phoneValues, region: chosen) { why += " (\(warning))" }
        return (chosen, why)
    }

    /// Regions compared with the chosen one in the warning: the Gulf and the Arab world first, then the
    /// largest exporters of contacts.
    static let candidateRegions = [
        "SA", "AE", "KW", "QA", "BH", "OM", "EG", "JO", "LB", "IQ", "YE", "PS", "SY", "MA", "DZ", "TN", "LY", "SD", "TR", "PK", "IN",
        "BD", "LK", "ID", "MY", "PH", "SG", "TH", "VN", "CN", "HK", "JP", "KR", "AU", "NZ", "US", "CA", "MX", "BR", "AR", "CO",
        "CL", "GB", "IE", "FR", "DE", "NL", "BE", "LU", "CH", "AT", "IT", "ES", "PT", "SE", "NO", "DK", "FI", "PL", "CZ", "RO",
        "HU", "GR", "RU", "UA", "ZA", "NG", "KE", "GH", "ET",
    ]

    /// A warning when fewer than half of the numbers written without a country code (at least 3) are valid
    /// in `region`: how many are, and the one other region that reads at least 80% of them, if exactly one does.
    static func regionWarning(_ values: [String], region: String) -> String? {
        let national = values.map { $0.trimmedSpaces() }.filter { !$0.isEmpty && !$0.hasPrefix("+") && !$0.hasPrefix("00") }
        guard national.count >= 3 else { return nil }
        func valid(in code: String) -> Int {
            guard let normalizer = PhoneNormalizer(defaultRegion: code, strict: true) else { return 0 }
            return national.count { (try? normalizer.normalize($0).get()) != nil }
        }
        let score = valid(in: region)
        guard score * 2 < national.count else { return nil }
        var warning = "only \(score) of \(national.count) numbers written without a country code are valid \(region) numbers"
        let readers = candidateRegions.filter { $0 != region && valid(in: $0) * 5 >= national.count * 4 }
        if readers.count == 1 { warning += "; \(readers[0]) reads \(valid(in: readers[0])) of them" }
        return warning + ": pass --region to read them in another region"
    }

    private func decide(_ fields: [FieldProfile]) -> [Decision] {
        var decisions: [Decision] = []
        var usedNames = Set<String>()
        let keys = fields.map { Self.normalise($0.name) }
        let known = fields.map { Self.knownColumn($0.name) }
        let hasFirst = known.contains { $0?.0 == .firstName }
        let hasLast = known.contains { $0?.0 == .lastName }
        let profileByKey = Dictionary(zip(keys, fields), uniquingKeysWith: { first, _ in first })
        for (index, (field, key)) in zip(fields, keys).enumerated() {
            if field.name == "PHOTO" || field.name == "Photo" || key == "photo" {
                decisions.append(.ignore("a picture; Hatif contacts have none"))
                continue
            }
            if field.filled == 0 {
                decisions.append(.ignore("always empty in the records looked at"))
                continue
            }
            if key == "fileas" || (key == "fn" && (hasFirst || hasLast)) {
                decisions.append(.ignore("a display form of the name; first and last name are mapped"))
                continue
            }
            if key == "labels" || key == "groupmembership" || (key == "categories" && field.samples.contains(where: { $0.contains(":::") })) {
                decisions.append(.ignore("group membership (Google's \"* myContacts ::: …\"), not a property of the contact"))
                continue
            }
            if Self.describesSibling(key, among: keys) || key.hasPrefix("xab") || key == "prodid" || key == "version" {
                decisions.append(.ignore("describes another column or the file, not the contact"))
                continue
            }
            if let (target, why) = known[index] {
                decisions.append(.standard(target, why))
                continue
            }
            if Self.fullNameColumns.contains(key) {
                if !hasFirst && !hasLast {
                    decisions.append(.split("a full name, split into first and last name"))
                    continue
                }
                if !hasFirst {
                    decisions.append(.standard(.firstName, "a name beside a last name column"))
                    continue
                }
            }
            let identifier = !Self.words(of: field.name).isDisjoint(with: Self.identifierWords)
            if field.kind == .phone, !identifier, !known.contains(where: { $0?.0 == .phoneNumber }),
                !decisions.contains(where: { if case .standard(.phoneNumber, _) = $0 { true } else { false } })
            {
                decisions.append(.standard(.phoneNumber, "its values look like phone numbers"))
                continue
            }
            if field.kind == .email, !identifier, !known.contains(where: { $0?.0 == .email }),
                !decisions.contains(where: { if case .standard(.email, _) = $0 { true } else { false } })
            {
                decisions.append(.standard(.email, "its values look like email addresses"))
                continue
            }
            // Google's "Custom Field 1 - Value" is named by its "Custom Field 1 - Label" when that holds one name.
            var displayName = field.name
            if key.hasSuffix("value"), let label = profileByKey[key.dropLast(5) + "label"]?.fewDistinctValues, label.count == 1 {
                displayName = label[0]
            }
            var name = Self.knownProperties[Self.normalise(displayName)] ?? Self.snakeCase(displayName)
            if name.isEmpty { name = "field_\(decisions.count + 1)" }
            var unique = name
            var suffix = 2
            while usedNames.contains(unique) {
                unique = "\(name.prefix(60))_\(suffix)"
                suffix += 1
            }
            usedNames.insert(unique)
            let (definition, transforms, why) = infer(field, displayName: displayName)
            decisions.append(.property(name: unique, definition: definition, transforms: transforms, why: why))
        }
        return decisions
    }

    /// Whether a `…Type` or `…Label` column describes a sibling column (`Phone 1 - Label` beside
    /// `Phone 1 - Value`, `phones/phone/@type` beside `phones/phone`) rather than the contact.
    static func describesSibling(_ key: String, among keys: [String]) -> Bool {
        for suffix in ["type", "label"] where key.hasSuffix(suffix) {
            let prefix = key.dropLast(suffix.count)
            if !prefix.isEmpty, keys.contains(where: { $0 != key && $0.hasPrefix(prefix) }) { return true }
        }
        return false
    }

    /// The property type (and transforms) a field's values suggest.
    private func infer(_ field: FieldProfile, displayName: String) -> (MappingFile.PropertyDefinition, [Transform], String) {
        let display = String(displayName.prefix(128))
        if field.kind != .text, Self.isIdentifier(field, displayName: displayName) {
            return (.init(displayName: display, type: .text), [.trim], "an identifier or code, kept as written (leading zeros too)")
        }
        switch field.kind {
        case .phone: return (.init(displayName: display, type: .phone), [.phone(region: nil)], "values look like phone numbers")
        case .email: return (.init(displayName: display, type: .email), [.email], "values look like email addresses")
        case .url: return (.init(displayName: display, type: .url), [.trim], "values look like web addresses")
        case .boolean: return (.init(displayName: display, type: .boolean), [.boolean], "values are yes/no")
        case .number:
            // `BDAY:19850412`: digits that are dates, in a column whose name says so.
            if !Self.words(of: displayName).isDisjoint(with: ["date", "birthday", "bday", "birth", "dob", "anniversary", "born"]) {
                let formats = Self.dateFormats(field.valueSample)
                let values = field.valueSample.filter { !$0.isEmpty }
                if !values.isEmpty, values.allSatisfy({ value in formats.contains { DateParser.parse(value, format: $0) != nil } }) {
                    return (.init(displayName: display, type: .date), [.date(formats)], "values are dates (\(formats.joined(separator: ", ")))")
                }
            }
            return (.init(displayName: display, type: .number), [.number(decimal: nil, thousands: nil)], "values are numbers")
        case .date:
            let formats = Self.dateFormats(field.valueSample)
            return (.init(displayName: display, type: .date), [.date(formats)], "values are dates (\(formats.joined(separator: ", ")))")
        case .text:
            switch Self.choiceList(field, displayName: displayName) {
            case .choices(let options, let why):
                return (.init(displayName: display, type: .singleSelect, options: options), [.trim], why)
            case .text(let why):
                return (.init(displayName: display, type: .text), [.trim], why)
            }
        }
    }

    /// Words of a column name that mark an identifier or a code: digits that are not a quantity.
    static let identifierWords: Set<String> = [
        "id", "ids", "code", "zip", "postal", "postcode", "ref", "reference", "account", "iban",
        "ssn", "vat", "tax", "passport", "national", "customer", "employee", "member", "uid", "key", "plz", "cp",
    ]

    /// Whether a column of digits holds identifiers (its name says so, a value has a leading zero, or a
    /// value is too long for a number to keep exactly), which a Number property would change.
    static func isIdentifier(_ field: FieldProfile, displayName: String) -> Bool {
        let words = words(of: displayName)
        if !words.isDisjoint(with: identifierWords) { return true }
        guard field.kind == .number else { return false }
        // "Employee Number", "Member No": digits that count nothing (a phone number is a phone, not this).
        if !words.isDisjoint(with: ["number", "no", "nr", "num"]) { return true }
        return field.valueSample.contains { value in
            let digits = value.filter(\.isNumber)
            return (value.hasPrefix("0") && value.count > 1 && !value.hasPrefix("0.") && !value.hasPrefix("0,")) || digits.count > 15
        }
    }

    /// What a text column becomes.
    enum TextColumn: Equatable {
        case choices([String], why: String)
        case text(why: String)
    }

    /// A choice list only where the values look like categories: the column's name says so (status, tier,
    /// stage, type …) or its values are a handful of short codes, and the name never says free text
    /// (notes, addresses, cities, names of things). A choice list guessed wrong costs nothing at import:
    /// new values are added to its options (``MappingFile/OptionPolicy``).
    /// The words of a column name, as its property name spells them (`Mailing Zip/Postal Code` → mailing,
    /// zip, postal, code).
    static func words(of name: String) -> Set<String> {
        // camelCase splits too: `postalCode`, `givenName`.
        var spaced = ""
        var previous: Character?
        for character in name {
            if character.isUppercase, let previous, previous.isLowercase { spaced.append(" ") }
            spaced.append(character)
            previous = character
        }
        return Set(snakeCase(spaced).split(separator: "_").map(String.init))
    }

    static func choiceList(_ field: FieldProfile, displayName: String) -> TextColumn {
        let words = words(of: displayName)
        if !words.isDisjoint(with: freeTextWords) { return .text(why: "free text") }
        guard let options = field.fewDistinctValues, options.count >= 2,
            options.allSatisfy({ $0.count <= 40 && !$0.contains(";") && !$0.contains(where: \.isNewline) })
        else { return .text(why: "free text") }
        let grows = "new values found at import are added to its options"
        if !words.isDisjoint(with: categoryWords), options.count <= 20, field.filled >= 5 {
            return .choices(options, why: "a category: \(options.count) values seen; \(grows)")
        }
        if options.count <= 6, field.filled >= 20, options.count * 5 <= field.filled,
            options.allSatisfy({ $0.count <= 12 && !$0.contains(where: \.isWhitespace) })
        {
            return .choices(options, why: "a handful of short codes (\(options.count) values seen); \(grows)")
        }
        return .text(why: "free text")
    }

    /// The date formats that read every sample, day-first preferred when both orders do.
    static func dateFormats(_ samples: [String]) -> [String] {
        let candidates = ["yyyy-MM-dd", "dd/MM/yyyy", "MM/dd/yyyy", "dd.MM.yyyy", "dd-MM-yyyy", "d/M/yyyy", "M/d/yyyy", "yyyyMMdd", "yyyy/MM/dd"]
        let values = samples.filter { !$0.isEmpty }
        let fitting = candidates.filter { format in values.allSatisfy { DateParser.parse($0, format: format) != nil } }
        if let first = fitting.first { return [first] }
        let partial = candidates.filter { format in values.contains { DateParser.parse($0, format: format) != nil } }
        return partial.isEmpty ? DateParser.defaultFormats : partial
    }

    /// Lower-case letters and digits only, of any script, accents folded: `E-mail 1 - Value` →
    /// `email1value`, `Prénom` → `prenom`, `اسم العائلة` → `اسمالعائلة`.
    static func normalise(_ name: String) -> String {
        name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
            .filter { $0.isLetter || $0.isNumber }
    }

    /// A property name: `Organization Title` → `organization_title`.
    static func snakeCase(_ name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive], locale: nil)
        var result = ""
        var lastWasUnderscore = true
        for character in folded {
            if character.isASCII && (character.isLetter || character.isNumber) {
                result.append(Character(character.lowercased()))
                lastWasUnderscore = false
            } else if !lastWasUnderscore {
                result.append("_")
                lastWasUnderscore = true
            }
        }
        while result.hasSuffix("_") { result.removeLast() }
        if let first = result.first, first.isNumber { result = "f_" + result }
        return String(result.prefix(64))
    }

    // MARK: Rendering

    private func render(_ decisions: [Decision], fields: [FieldProfile], sources: [String], region: (code: String, why: String)) -> String {
        var lines = [
            "# Mapping written by `hatif-import mapping init` from:",
        ]
        lines += sources.map { "#   \(Self.comment($0))" }
        lines += [
            "# Review it: every choice below is a guess from the records looked at. README.md, \"The mapping",
            "# file\", documents every key and transform.",
            "version: 1",
            "region: \(region.code)                      # \(Self.comment(region.why))",
            "primary:",
            "  phone: [mobile, any]          # of several phones, the first mobile, else the first valid one",
            "  email: [first]",
            "options: open                    # a value missing from a choice list is added to its options; closed rejects its record",
        ]
        let ignored = zip(fields, decisions).compactMap { field, decision -> (String, String)? in
            if case .ignore(let why) = decision { return (field.name, why) }
            return nil
        }
        if !ignored.isEmpty {
            lines.append("ignore:")
            for (name, why) in ignored { lines.append("  - \(Self.quote(name))    # \(Self.comment(why))") }
        }
        lines.append("fields:")
        var properties: [(String, MappingFile.PropertyDefinition)] = []
        for (field, decision) in zip(fields, decisions) {
            let source = Self.quote(field.name)
            switch decision {
            case .standard(let target, let why):
                let transforms: String
                switch target {
                case .firstName, .lastName: transforms = ", transforms: [trim, collapse-spaces]"
                default: transforms = ""
                }
                lines.append("  - {source: \(source), target: \(target)\(transforms)}    # \(Self.comment(why))")
            case .split(let why):
                lines.append("  - {source: \(source), target: FirstName, transforms: [{split-name: first}]}    # \(Self.comment(why))")
                lines.append("  - {source: \(source), target: LastName, transforms: [{split-name: last}]}")
            case .property(let name, let definition, let transforms, let why):
                let rendered = transforms.isEmpty ? "" : ", transforms: [\(transforms.map(Self.render).joined(separator: ", "))]"
                // A guessed type never rejects a record: a value that does not fit it is left out with a note.
                let typed = definition.type != .text && !definition.isChoice
                let invalid = typed ? ", invalid: drop" : ""
                let note = typed ? "; a value that does not fit is left out with a note" : ""
                lines.append("  - {source: \(source), target: \"property:\(name)\"\(rendered)\(invalid)}    # \(Self.comment(why + note))")
                properties.append((name, definition))
            case .ignore:
                continue
            }
        }
        if !properties.isEmpty {
            lines.append("properties:                      # created in the workspace when missing")
            for (name, definition) in properties {
                var entry = "  \(name): {displayName: \(Self.quote(definition.displayName ?? name)), type: \(definition.type.rawValue)"
                if let options = definition.options { entry += ", options: [\(options.map(Self.quote).joined(separator: ", "))]" }
                lines.append(entry + "}")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func render(_ transform: Transform) -> String {
        switch transform {
        case .date(let formats): "{date: [\(formats.map(quote).joined(separator: ", "))]}"
        case .phone(let region?): "{phone: \(region)}"
        default: transform.name
        }
    }

    /// A YAML scalar that reads back as exactly `text`: plain where plain style is unambiguous (a letter
    /// first, then letters, digits, spaces and `_-./()'`, not a word YAML reads as a boolean or null),
    /// else double-quoted with every character that YAML would fold, normalise or refuse escaped
    /// (``JSONText/yamlQuoted(_:)``: a JSON string is a YAML double-quoted scalar).
    static func quote(_ text: String) -> String {
        let plainSafe = text.first.map { $0.isLetter } == true
            && text.allSatisfy { ($0.isLetter || $0.isNumber || " _-./()'".contains($0)) && !$0.isNewline }
            && !text.hasSuffix(" ") && !text.contains("  ")
            && !["true", "false", "yes", "no", "null", "on", "off", "y", "n", "~"].contains(text.lowercased())
        return plainSafe ? text : JSONText.yamlQuoted(text)
    }

    /// Text for a `#` comment: one line, whatever it holds (a file or column name may hold line breaks).
    static func comment(_ text: String) -> String {
        String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
    }
}
