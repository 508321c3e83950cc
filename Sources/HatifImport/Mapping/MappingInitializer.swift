import Foundation
import HatifAPI

/// Writes a starting mapping from the first records of the input files: known export columns (Google,
/// Outlook, HubSpot, Salesforce, iCloud/Android vCard, common XML names) go to contact fields, every other
/// non-empty column becomes a property with a snake_case name and an inferred type. Comments say why.
public struct MappingInitializer: Sendable {
    private let region: String
    private let readerOptions: ReaderOptions
    private let sampleRecords: Int

    /// Creates an initializer; `region` is the default phone region written into the mapping.
    public init(region: String = "SA", readerOptions: ReaderOptions = ReaderOptions(), sampleRecords: Int = 2000) {
        self.region = region.uppercased()
        self.readerOptions = readerOptions
        self.sampleRecords = sampleRecords
    }

    /// Standard fields by normalised column name (lower-case letters and digits only).
    static let knownColumns: [String: (MappingTarget, String)] = {
        var table: [String: (MappingTarget, String)] = [:]
        func add(_ target: MappingTarget, _ why: String, _ names: [String]) {
            for name in names { table[name] = (target, why) }
        }
        add(.firstName, "first name column", [
            "firstname", "givenname", "first", "fname", "forename", "prenom", "vorname", "nombre", "ngiven", "contactfirstname",
        ])
        add(.lastName, "last name column", [
            "lastname", "familyname", "surname", "last", "lname", "nom", "nachname", "apellido", "apellidos", "nfamily",
            "contactlastname",
        ])
        add(.phoneNumber, "phone column", [
            "phone", "phonenumber", "mobile", "mobilephone", "mobilephonenumber", "mobilenumber", "cell", "cellphone", "tel",
            "telephone", "telefon", "telefono", "phone1value", "phone2value", "phone3value", "businessphone", "businessphone2",
            "homephone", "homephone2", "primaryphone", "otherphone", "phonesphone", "whatsapp", "whatsappnumber",
        ])
        add(.email, "email column", [
            "email", "emailaddress", "email1value", "email2value", "email3value", "email2address", "email3address", "mail",
            "courriel", "emailsemail", "primaryemail", "workemail", "personalemail",
        ])
        return table
    }()

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
        return render(decisions, fields: fields, sources: formats)
    }

    private func decide(_ fields: [FieldProfile]) -> [Decision] {
        var decisions: [Decision] = []
        var usedNames = Set<String>()
        let keys = fields.map { Self.normalise($0.name) }
        let hasFirstOrLast = keys.contains { Self.knownColumns[$0].map { $0.0 == .firstName || $0.0 == .lastName } ?? false }
        for (field, key) in zip(fields, keys) {
            if field.name == "PHOTO" || field.name == "Photo" || key == "photo" {
                decisions.append(.ignore("a picture; Hatif contacts have none"))
                continue
            }
            if field.filled == 0 {
                decisions.append(.ignore("always empty in the records looked at"))
                continue
            }
            if key == "fileas" || (key == "fn" && hasFirstOrLast) {
                decisions.append(.ignore("a display form of the name; first and last name are mapped"))
                continue
            }
            if key.hasSuffix("label") || key.hasSuffix("type") || key.hasPrefix("xab") || key == "prodid" || key == "version" {
                decisions.append(.ignore("describes another column or the file, not the contact"))
                continue
            }
            if let (target, why) = Self.knownColumns[key] {
                decisions.append(.standard(target, why))
                continue
            }
            if !hasFirstOrLast, ["name", "fullname", "fn", "displayname", "contactname"].contains(key) {
                decisions.append(.split("a full name, split into first and last name"))
                continue
            }
            if field.kind == .phone, !decisions.contains(where: { if case .standard(.phoneNumber, _) = $0 { true } else { false } }) {
                decisions.append(.standard(.phoneNumber, "its values look like phone numbers"))
                continue
            }
            if field.kind == .email, !decisions.contains(where: { if case .standard(.email, _) = $0 { true } else { false } }) {
                decisions.append(.standard(.email, "its values look like email addresses"))
                continue
            }
            var name = Self.knownProperties[key] ?? Self.snakeCase(field.name)
            if name.isEmpty { name = "field_\(decisions.count + 1)" }
            var unique = name
            var suffix = 2
            while usedNames.contains(unique) {
                unique = "\(name.prefix(60))_\(suffix)"
                suffix += 1
            }
            usedNames.insert(unique)
            let (definition, transforms, why) = infer(field, displayName: field.name)
            decisions.append(.property(name: unique, definition: definition, transforms: transforms, why: why))
        }
        return decisions
    }

    /// The property type (and transforms) a field's values suggest.
    private func infer(_ field: FieldProfile, displayName: String) -> (MappingFile.PropertyDefinition, [Transform], String) {
        let display = String(displayName.prefix(128))
        switch field.kind {
        case .phone: return (.init(displayName: display, type: .phone), [.phone(region: nil)], "values look like phone numbers")
        case .email: return (.init(displayName: display, type: .email), [.email], "values look like email addresses")
        case .url: return (.init(displayName: display, type: .url), [.trim], "values look like web addresses")
        case .boolean: return (.init(displayName: display, type: .boolean), [.boolean], "values are yes/no")
        case .number: return (.init(displayName: display, type: .number), [.number(decimal: nil, thousands: nil)], "values are numbers")
        case .date:
            let formats = Self.dateFormats(field.valueSample)
            return (.init(displayName: display, type: .date), [.date(formats)], "values are dates (\(formats.joined(separator: ", ")))")
        case .text:
            if let options = field.fewDistinctValues, options.count >= 2, options.count <= 10, field.filled >= 10,
                options.count * 3 <= field.filled, !options.contains(where: { $0.contains(";") || $0.count > 60 })
            {
                return (.init(displayName: display, type: .singleSelect, options: options), [.trim], "\(options.count) distinct values: a choice list")
            }
            return (.init(displayName: display, type: .text), [.trim], "free text")
        }
    }

    /// The date formats that read every sample, day-first preferred when both orders do.
    static func dateFormats(_ samples: [String]) -> [String] {
        let candidates = ["yyyy-MM-dd", "dd/MM/yyyy", "MM/dd/yyyy", "dd.MM.yyyy", "dd-MM-yyyy", "d/M/yyyy", "yyyyMMdd", "yyyy/MM/dd"]
        let values = samples.filter { !$0.isEmpty }
        let fitting = candidates.filter { format in values.allSatisfy { DateParser.parse($0, format: format) != nil } }
        if let first = fitting.first { return [first] }
        let partial = candidates.filter { format in values.contains { DateParser.parse($0, format: format) != nil } }
        return partial.isEmpty ? DateParser.defaultFormats : partial
    }

    /// Lower-case letters and digits only, accents folded: `E-mail 1 - Value` → `email1value`.
    static func normalise(_ name: String) -> String {
        name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
            .filter { $0.isASCII && ($0.isLetter || $0.isNumber) }
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

    private func render(_ decisions: [Decision], fields: [FieldProfile], sources: [String]) -> String {
        var lines = [
            "# Mapping written by `hatif-import mapping init` from:",
        ]
        lines += sources.map { "#   \($0)" }
        lines += [
            "# Review it: every choice below is a guess from the records looked at. README.md, \"The mapping",
            "# file\", documents every key and transform.",
            "version: 1",
            "region: \(region)                      # phones written without a country code are read as \(region) numbers",
            "primary:",
            "  phone: [mobile, any]          # of several phones, the first mobile, else the first valid one",
            "  email: [first]",
        ]
        let ignored = zip(fields, decisions).compactMap { field, decision -> (String, String)? in
            if case .ignore(let why) = decision { return (field.name, why) }
            return nil
        }
        if !ignored.isEmpty {
            lines.append("ignore:")
            for (name, why) in ignored { lines.append("  - \(Self.quote(name))    # \(why)") }
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
                lines.append("  - {source: \(source), target: \(target)\(transforms)}    # \(why)")
            case .split(let why):
                lines.append("  - {source: \(source), target: FirstName, transforms: [{split-name: first}]}    # \(why)")
                lines.append("  - {source: \(source), target: LastName, transforms: [{split-name: last}]}")
            case .property(let name, let definition, let transforms, let why):
                let rendered = transforms.isEmpty ? "" : ", transforms: [\(transforms.map(Self.render).joined(separator: ", "))]"
                lines.append("  - {source: \(source), target: \"property:\(name)\"\(rendered)}    # \(why)")
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

    /// A YAML scalar, quoted when plain style would not read back as the same string.
    static func quote(_ text: String) -> String {
        let plainSafe = !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || " _-./()'".contains($0) }
            && !text.hasPrefix(" ") && !text.hasSuffix(" ") && !text.hasPrefix("-") && !text.hasPrefix("'")
            && !["true", "false", "yes", "no", "null", "on", "off", "y", "n", "~"].contains(text.lowercased())
            && Double(text) == nil
        if plainSafe { return text }
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
