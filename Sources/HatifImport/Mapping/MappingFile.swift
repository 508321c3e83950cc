import Foundation
import HatifAPI
import Yams

/// A mapping file: how the fields of the input land in Hatif's contact fields and Contact Properties.
///
/// ```yaml
/// version: 1
/// region: SA                         # phones without a country code are read in this region
/// primary: {phone: [mobile, any], email: [first]}
/// ignore: [Photo]
/// constants: {"property:import_source": salesforce-2026}
/// fields:
///   - {source: First Name, target: FirstName, transforms: [trim, collapse-spaces]}
///   - {source: Mobile Phone, target: PhoneNumber}
///   - {source: Birthday, target: "property:birthday", transforms: [{date: [dd/MM/yyyy]}]}
/// properties:
///   birthday: {displayName: Birthday, type: Date}
/// ```
public struct MappingFile: Sendable, Codable, Equatable {
    /// Whether a value missing from a choice list's options is added to them or rejects its record.
    public enum OptionPolicy: String, Sendable, Codable, Equatable {
        /// The value is added to the property's options (Update Contact Property) before it is written.
        case open
        /// The value rejects its record.
        case closed
    }

    /// Which of several phones and emails becomes the contact's.
    public struct PrimaryRules: Sendable, Codable, Equatable {
        /// In order: `mobile` (the first number that may be a mobile), `any` (the first valid number).
        public var phone: [String]
        /// In order: `first` (the first valid address).
        public var email: [String]

        public init(phone: [String] = ["mobile", "any"], email: [String] = ["first"]) {
            self.phone = phone
            self.email = email
        }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            phone = try container.decodeIfPresent([String].self, forKey: .phone) ?? ["mobile", "any"]
            email = try container.decodeIfPresent([String].self, forKey: .email) ?? ["first"]
        }
    }

    /// What a property value that does not fit its transforms or its property's type does.
    public enum InvalidValue: String, Sendable, Codable, Equatable {
        /// The record is rejected, naming the field and the value.
        case reject
        /// The value is left out with a note; the record is imported without it.
        case drop
    }

    /// One mapped field: one or more source fields, a target, and the transforms on the way.
    public struct Field: Sendable, Codable, Equatable {
        /// Source field names (a CSV header, a vCard property such as `TEL` or `N.given`, an XML path).
        public var source: [String]
        /// Where the value goes.
        public var target: MappingTarget
        /// The transforms, in order.
        public var transforms: [Transform]
        /// What a property value that does not fit does. Default `reject`; `mapping init` writes `drop`
        /// for the types it guessed, so that a guess never rejects a record. (An invalid phone or email is
        /// always dropped with a note while the record keeps the other key.)
        public var invalid: InvalidValue

        public init(source: [String], target: MappingTarget, transforms: [Transform] = [], invalid: InvalidValue = .reject) {
            self.source = source
            self.target = target
            self.transforms = transforms
            self.invalid = invalid
        }

        enum CodingKeys: String, CodingKey { case source, target, transforms, invalid }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let single = try? container.decode(String.self, forKey: .source) {
                source = [single]
            } else {
                source = try container.decode([String].self, forKey: .source)
            }
            target = try container.decode(MappingTarget.self, forKey: .target)
            transforms = try container.decodeIfPresent([Transform].self, forKey: .transforms) ?? []
            invalid = try container.decodeIfPresent(InvalidValue.self, forKey: .invalid) ?? .reject
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            if source.count == 1 { try container.encode(source[0], forKey: .source) } else { try container.encode(source, forKey: .source) }
            try container.encode(target, forKey: .target)
            if !transforms.isEmpty { try container.encode(transforms, forKey: .transforms) }
            if invalid != .reject { try container.encode(invalid, forKey: .invalid) }
        }
    }

    /// A property the mapping needs, as it should exist in the workspace.
    public struct PropertyDefinition: Sendable, Codable, Equatable {
        public var displayName: String?
        public var type: ContactPropertyType
        /// The allowed values of SingleSelect and MultiSelect properties.
        public var options: [String]?
        /// Overrides the mapping's ``MappingFile/options`` policy for this property; nil follows it.
        public var closed: Bool?

        public init(displayName: String? = nil, type: ContactPropertyType, options: [String]? = nil, closed: Bool? = nil) {
            self.displayName = displayName
            self.type = type
            self.options = options
            self.closed = closed
        }

        /// Whether the type has a list of options.
        public var isChoice: Bool { type == .singleSelect || type == .multiSelect }
    }

    /// The format version; 1.
    public var version: Int
    /// The default phone region (ISO 3166 alpha-2).
    public var region: String?
    /// Primary phone and email rules.
    public var primary: PrimaryRules
    /// Source fields deliberately left out.
    public var ignore: [String]
    /// Values set on every contact, by target (`property:source`, `LastName`, …).
    public var constants: [String: String]
    /// The mapped fields.
    public var fields: [Field]
    /// The properties the mapping needs, by name.
    public var properties: [String: PropertyDefinition]
    /// What a value missing from a choice list does. Default `open`: it is added to the options.
    public var options: OptionPolicy

    /// Creates a mapping.
    public init(
        version: Int = 1, region: String? = nil, primary: PrimaryRules = PrimaryRules(), ignore: [String] = [],
        constants: [String: String] = [:], fields: [Field], properties: [String: PropertyDefinition] = [:],
        options: OptionPolicy = .open
    ) {
        self.options = options
        self.version = version
        self.region = region
        self.primary = primary
        self.ignore = ignore
        self.constants = constants
        self.fields = fields
        self.properties = properties
    }

    enum CodingKeys: String, CodingKey { case version, region, primary, ignore, constants, fields, properties, options }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 1
        region = try container.decodeIfPresent(String.self, forKey: .region)
        primary = try container.decodeIfPresent(PrimaryRules.self, forKey: .primary) ?? PrimaryRules()
        ignore = try container.decodeIfPresent([String].self, forKey: .ignore) ?? []
        constants = try container.decodeIfPresent([String: String].self, forKey: .constants) ?? [:]
        fields = try container.decodeIfPresent([Field].self, forKey: .fields) ?? []
        properties = try container.decodeIfPresent([String: PropertyDefinition].self, forKey: .properties) ?? [:]
        options = try container.decodeIfPresent(OptionPolicy.self, forKey: .options) ?? .open
    }

    /// Whether values missing from `name`'s options are added to them (false for closed lists and for
    /// properties that are not choice lists).
    public func growsOptions(of name: String) -> Bool {
        guard let definition = properties[name], definition.isChoice else { return false }
        return !(definition.closed ?? (options == .closed))
    }

    /// Reads and checks a mapping file.
    public static func load(path: String) throws(MappingError) -> MappingFile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        return try parse(text, path: path)
    }

    /// Parses and checks mapping YAML.
    public static func parse(_ text: String, path: String = "mapping") throws(MappingError) -> MappingFile {
        let mapping: MappingFile
        do {
            mapping = try YAMLDecoder().decode(MappingFile.self, from: text)
        } catch let error as DecodingError {
            throw .invalid(path: path, reason: Self.describe(error))
        } catch {
            throw .invalid(path: path, reason: "\(error)")
        }
        try mapping.check(path: path)
        return mapping
    }

    /// Problems that make the mapping unusable, found before any record is read.
    func check(path: String) throws(MappingError) {
        guard version == 1 else { throw .invalid(path: path, reason: "version \(version) is not known; this tool reads version 1") }
        if let region, PhoneNormalizer(defaultRegion: region) == nil {
            throw .invalid(path: path, reason: "region \(region) is not an ISO 3166 region libphonenumber knows")
        }
        for rule in primary.phone where rule != "mobile" && rule != "any" {
            throw .invalid(path: path, reason: "primary.phone takes mobile and any, not \(rule)")
        }
        guard !fields.isEmpty else { throw .invalid(path: path, reason: "no fields are mapped") }
        let targets = fields.map(\.target) + constants.keys.compactMap(MappingTarget.init)
        for key in constants.keys where MappingTarget(key) == nil {
            throw .invalid(path: path, reason: "constant \(key) is not a target (FirstName, LastName, PhoneNumber, Email or property:<name>)")
        }
        guard targets.contains(.phoneNumber) || targets.contains(.email) else {
            throw .invalid(path: path, reason: "nothing is mapped to PhoneNumber or Email, so every record would be rejected")
        }
        for case .property(let name) in targets {
            guard PropertyValueValidator.isPropertyName(name) else {
                throw .invalid(path: path, reason: "property name \(name) must match ^[a-z][a-z0-9_]{0,63}$")
            }
            guard let definition = properties[name] else {
                throw .invalid(path: path, reason: "property \(name) is mapped but not defined under properties:")
            }
            if definition.type == .singleSelect || definition.type == .multiSelect, definition.options?.isEmpty ?? true {
                throw .invalid(path: path, reason: "property \(name) is a \(definition.type.rawValue) without options")
            }
        }
        for field in fields where field.source.isEmpty {
            throw .invalid(path: path, reason: "a field mapped to \(field.target) has no source")
        }
        if region == nil, fields.contains(where: { $0.target == .phoneNumber }) {
            throw .invalid(path: path, reason: "phones are mapped but no region is set for numbers without a country code (region: SA)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
        }
        switch error {
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        case .keyNotFound(let key, let context): return "\(path(context)): \(key.stringValue) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    /// The mapping as YAML.
    public func yaml() throws -> String { try YAMLEncoder().encode(self) }
}

/// Why a mapping file cannot be used.
public enum MappingError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case invalid(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "Cannot read the mapping \(path): \(reason)."
        case .invalid(let path, let reason): "The mapping \(path) is not usable: \(reason)."
        }
    }
}
