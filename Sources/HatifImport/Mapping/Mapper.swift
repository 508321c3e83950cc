import HatifAPI

/// Turns source records into contact drafts, or rejects that name the field and the reason.
///
/// Every mapped field's values go through its transforms; phones become E.164 (libphonenumber, the
/// mapping's region), emails are lower-cased and checked, property values are checked against their type
/// and options and put in canonical form. Of several phones the `primary` rules pick one; invalid phones
/// and emails are dropped with a note while the record keeps another valid key; a record with neither a
/// valid phone nor a valid email, or with a property value that does not fit, is a reject. A value that
/// is not among a choice list's options is kept as it is when the list grows (``MappingFile/growsOptions(of:)``):
/// ``ChoiceOptions`` then adds it to the options before it is written.
public struct Mapper: Sendable {
    /// The mapping in use.
    public let mapping: MappingFile
    private let phones: PhoneNormalizer?
    private let constantTargets: [(MappingTarget, String)]
    /// Each field's name in rejects and notes (its sources joined by `+`), made once.
    private let labels: [String]
    /// Each field's transforms, without a leading `join`.
    private let chains: [[Transform]]
    /// Each field's leading `join` separator, if it has one.
    private let joins: [String?]
    /// The distinct source names of the fields, in order of first use.
    private let sourceNames: [String]
    /// Each field's sources as indices into `sourceNames`.
    private let sourceIndices: [[Int]]
    /// Which source names some record mapped so far had.
    private let coverage: SourceCoverage
    /// The identity of this mapper and its copies, whose field positions a record shape keeps (``ShapePositions``).
    private let owner = Owner()

    /// The identity of a mapper and its copies: the field positions a record shape keeps are those of one mapping.
    final class Owner: Sendable {}

    /// Creates a mapper for a checked mapping; `strictPhones` refuses numbers the phone metadata finds
    /// possible but does not know (``PhoneNormalizer/strict``).
    public init(mapping: MappingFile, strictPhones: Bool = false) {
        self.mapping = mapping
        self.phones = mapping.region.flatMap { PhoneNormalizer(defaultRegion: $0, strict: strictPhones) }
        self.labels = mapping.fields.map { $0.source.joined(separator: "+") }
        self.joins = mapping.fields.map { field in
            if case .join(let separator)? = field.transforms.first { return separator }
            return nil
        }
        self.chains = mapping.fields.map { field in
            if case .join? = field.transforms.first { return Array(field.transforms.dropFirst()) }
            return field.transforms
        }
        var names: [String] = []
        var indices: [String: Int] = [:]
        self.sourceIndices = mapping.fields.map { field in
            field.source.map { name in
                if let known = indices[name] { return known }
                indices[name] = names.count
                names.append(name)
                return names.count - 1
            }
        }
        self.sourceNames = names
        self.coverage = SourceCoverage(names: names)
        self.constantTargets = mapping.constants.sorted { $0.key < $1.key }.compactMap { key, value in
            MappingTarget(key).map { ($0, value) }
        }
    }

    /// One value that did not make it, kept for the reject or the notes.
    private struct Problem {
        var field: String
        var value: String
        var reason: String
    }

    /// The draft of `record`, or why it cannot be imported.
    public func map(_ record: SourceRecord) -> Result<ContactDraft, RecordReject> {
        var positions = SourcePositions()
        return map(record, positions: &positions)
    }

    /// ``map(_:)`` with the source positions kept from the records before (one per task): the answer is the
    /// same, only the field names are not compared again while the shape stays the same.
    public func map(_ record: SourceRecord, positions: inout SourcePositions) -> Result<ContactDraft, RecordReject> {
        // The draft's fields are gathered apart and the draft made once at the end: a draft held in a
        // variable that `take` captures was built, copied in and copied out again (every field retained,
        // then released) for each record.
        var firstName: String?
        var lastName: String?
        var properties: [String: String] = [:]
        var notes: [String] = []
        var phoneCandidates: [PhoneNumber] = []
        var email: String?
        /// Valid addresses after the first (an array for every record's one address cost an allocation each).
        var otherEmails: [String] = []
        var keyProblems: [Problem] = []
        if positions.update(to: record, names: sourceNames, owner: owner) { coverage.note(positions) }

        /// Takes one value of field `position` (nil: the field is empty); a reject when it ends the record.
        func take(_ input: String?, position: Int) -> RecordReject? {
            /// A phone or e-mail value that is not one: each of the values it holds (``ListedValues``),
            /// true; else false, and the caller notes the problem. Asked only of a value that failed, so
            /// that the common one is not searched.
            func takeListed() -> Bool {
                guard let input else { return false }
                let listed = mapping.fields[position].target == .email ? ListedValues.emails(in: input) : ListedValues.phones(in: input)
                guard let values = listed else { return false }
                for value in values { _ = take(value, position: position) }
                return true
            }
            var value = input
            var failure: String?
            let chain = chains[position]
            for step in chain.indices {
                switch chain[step].apply(value, phones: phones) {
                case .value(let next): value = next
                case .empty: value = nil
                case .failure(let reason):
                    failure = reason
                }
                if failure != nil { break }
            }
            // The field is read in place: a copy of it (its sources, target and transforms) for each value
            // retained and released each of them.
            let raw = input ?? ""
            if let failure {
                let label = labels[position]
                switch mapping.fields[position].target {
                case .phoneNumber, .email: if !takeListed() { keyProblems.append(Problem(field: label, value: raw, reason: failure)) }
                default:
                    guard mapping.fields[position].invalid == .drop else { return reject(record, label, raw, failure) }
                    notes.append(Self.leftOut(label, raw, failure))
                }
                return nil
            }
            guard let text = value?.trimmingWhitespace(), !text.isEmpty else { return nil }
            switch mapping.fields[position].target {
            case .firstName: if firstName == nil { firstName = text }
            case .lastName: if lastName == nil { lastName = text }
            case .phoneNumber:
                if ListedValues.listsAtSemicolon(text), takeListed() { return nil }
                switch normalizePhone(text) {
                case .success(let number): phoneCandidates.append(number)
                case .failure(let problem):
                    if !takeListed() { keyProblems.append(Problem(field: labels[position], value: raw, reason: problem.description)) }
                }
            case .email:
                let address = text.lowercasedIfNeeded
                if PropertyValueValidator.isEmail(address) {
                    if email == nil {
                        email = address
                    } else if address != email, !otherEmails.contains(address) {
                        otherEmails.append(address)
                    }
                } else if !takeListed() {
                    keyProblems.append(Problem(field: labels[position], value: raw, reason: "not a valid email address"))
                }
            case .property(let name):
                guard properties[name] == nil else { return nil }
                switch canonicalProperty(name, text) {
                case .success(let canonical): properties[name] = canonical
                case .failure(let reason):
                    // Outlook's `0/0/00` and MySQL's `0000-00-00` in a date property stand for no date.
                    if let type = mapping.properties[name]?.type, type == .date || type == .dateTime, DateParser.isZeroDate(text) { return nil }
                    guard mapping.fields[position].invalid == .drop else { return reject(record, labels[position], raw, reason) }
                    notes.append(Self.leftOut(labels[position], raw, reason))
                }
            }
            return nil
        }

        for position in mapping.fields.indices {
            let sources = sourceIndices[position]
            if sources.count == 1, joins[position] == nil {
                // Each value of the one source in turn, or nil when the record has none.
                let found = positions.of(sources[0])
                if found.isEmpty {
                    if let reject = take(nil, position: position) { return .failure(reject) }
                }
                for index in found {
                    if let reject = take(record.value(at: Int(index)), position: position) { return .failure(reject) }
                }
                continue
            }
            var inputs: [String?]
            if sources.count == 1 {
                inputs = positions.of(sources[0]).map { record.value(at: Int($0)) }
            } else {
                inputs = sources.map { source in positions.of(source).first.map { record.value(at: Int($0)) } }
            }
            if let separator = joins[position] {
                inputs = [inputs.compactMap { $0 }.filter { !$0.trimmingWhitespace().isEmpty }.joined(separator: separator)]
            }
            if inputs.isEmpty { inputs = [nil] }
            for input in inputs {
                if let reject = take(input, position: position) { return .failure(reject) }
            }
        }

        for (target, value) in constantTargets {
            switch target {
            case .firstName: firstName = value
            case .lastName: lastName = value
            case .phoneNumber: if case .success(let number) = normalizePhone(value) { phoneCandidates.insert(number, at: 0) }
            case .email:
                let constant = value.lowercased()
                // The mapped address is never among the others, so it goes first among them as it is.
                if let mapped = email, mapped != constant { otherEmails.insert(mapped, at: 0) }
                otherEmails.removeAll { $0 == constant }
                email = constant
            case .property(let name):
                switch canonicalProperty(name, value) {
                case .success(let canonical): properties[name] = canonical
                case .failure(let reason): return .failure(reject(record, "constant \(target)", value, reason))
                }
            }
        }

        let phone = primaryPhone(phoneCandidates)
        guard phone != nil || email != nil else {
            if let problem = keyProblems.first { return .failure(reject(record, problem.field, problem.value, problem.reason)) }
            return .failure(RecordReject(ordinal: record.ordinal, location: record.location, reason: "neither a phone number nor an email"))
        }
        for problem in keyProblems {
            notes.append("\(problem.field) \"\(problem.value)\" dropped: \(problem.reason)")
        }
        if let kept = phone?.keptNote { notes.append(kept) }
        if let lost = phone?.extensionNote { notes.append(lost) }
        if phoneCandidates.count > 1 || (phoneCandidates.count == 1 && phone?.e164 != phoneCandidates[0].e164) {
            let unusedPhones = Set(phoneCandidates.map(\.e164)).subtracting([phone?.e164].compactMap { $0 })
            if !unusedPhones.isEmpty { notes.append("other phone numbers not imported: \(unusedPhones.sorted().joined(separator: ", "))") }
        }
        if !otherEmails.isEmpty { notes.append("other email addresses not imported: \(otherEmails.joined(separator: ", "))") }
        return .success(
            ContactDraft(
                ordinal: record.ordinal, location: record.location, firstName: firstName, lastName: lastName, phone: phone, email: email,
                properties: properties, notes: notes))
    }

    /// The source field names of the mapping that no record mapped so far had (a typo, another case, a
    /// column the export left out): they mapped nothing.
    public var unmatchedSources: [String] { coverage.missing }

    /// The note of a property value a field with `invalid: drop` left out.
    private static func leftOut(_ field: String, _ value: String, _ reason: any CustomStringConvertible) -> String {
        "\(field) \"\(value)\" left out: \(reason)"
    }

    private func normalizePhone(_ text: String) -> Result<PhoneNumber, PhoneNumberProblem> {
        guard let phones else { return .failure(.invalid(region: "no region")) }
        return phones.normalize(text)
    }

    private func primaryPhone(_ candidates: [PhoneNumber]) -> PhoneNumber? {
        for rule in mapping.primary.phone {
            switch rule {
            case "mobile": if let mobile = candidates.first(where: { $0.type.mayBeMobile }) { return mobile }
            default: if let any = candidates.first(where: \.isValid) ?? candidates.first { return any }
            }
        }
        return nil
    }

    private func canonicalProperty(_ name: String, _ value: String) -> Result<String, PropertyProblem> {
        guard let definition = mapping.properties[name] else { return .failure(PropertyProblem("property \(name) is not defined")) }
        let options = definition.options ?? []
        if mapping.growsOptions(of: name), let open = ChoiceOptions.openValue(value, type: definition.type, options: options) {
            return .success(open)
        }
        guard let canonical = PropertyValueValidator.canonical(value, type: definition.type, options: options) else {
            return .failure(
                PropertyProblem(
                    "does not fit property \(name): expected \(PropertyValueValidator.expectation(for: definition.type, options: options))"))
        }
        return .success(canonical)
    }

    private struct PropertyProblem: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    private func reject(_ record: SourceRecord, _ field: String, _ value: String, _ reason: any CustomStringConvertible) -> RecordReject {
        RecordReject(ordinal: record.ordinal, location: record.location, field: field, value: value, reason: "\(reason)")
    }
}
