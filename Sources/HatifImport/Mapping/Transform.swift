import Foundation
import HatifAPI

/// One step of a field's transform chain, as written in the mapping file: a bare name (`trim`) or a
/// one-key map (`{date: [dd/MM/yyyy]}`).
public enum Transform: Sendable, Hashable {
    /// Which part of a full name `split-name` keeps.
    public enum NamePart: String, Sendable, Hashable { case first, last }

    case trim
    case collapseSpaces
    case upper
    case lower
    case title
    /// "Last, First" is split at the comma; otherwise the first word is the first name and the rest the
    /// last name. Words are never reordered (Arabic names stay as written).
    case splitName(NamePart)
    /// Joins the values of several source fields with a separator (empty values skipped).
    case join(String)
    /// A value used when the field is empty.
    case defaultValue(String)
    /// A value used whatever the field holds.
    case constant(String)
    /// Regular expression replacement (`$1` for groups).
    case replace(pattern: String, with: String)
    /// Dates in any of the listed formats (`dd/MM/yyyy`, `MM/dd/yyyy`, `yyyy-MM-dd`, `d.M.yy`, `excel`
    /// for Excel serial days, `iso` for ISO 8601) into `YYYY-MM-DD`.
    case date([String])
    /// Numbers with the given decimal and thousands separators (nil: worked out per value) into `1234.5`.
    case number(decimal: String?, thousands: String?)
    /// yes/no, true/false, 1/0, y/n, نعم/لا, oui/non, ja/nein, sí/no into `true`/`false`.
    case boolean
    /// Replaces values found in the table (keys compared case-insensitively); others pass unchanged.
    case map([String: String])
    /// Lower-cases and checks an email address.
    case email
    /// Normalises a phone number to E.164 (in the given region, else the mapping's).
    case phone(region: String?)

    /// The name used in mapping files.
    var name: String {
        switch self {
        case .trim: "trim"
        case .collapseSpaces: "collapse-spaces"
        case .upper: "upper"
        case .lower: "lower"
        case .title: "title"
        case .splitName: "split-name"
        case .join: "join"
        case .defaultValue: "default"
        case .constant: "constant"
        case .replace: "replace"
        case .date: "date"
        case .number: "number"
        case .boolean: "boolean"
        case .map: "map"
        case .email: "email"
        case .phone: "phone"
        }
    }
}

/// What one transform made of a value.
public enum TransformResult: Sendable, Hashable {
    case value(String)
    case empty
    /// The value does not fit; the reason names what was expected.
    case failure(String)
}

extension Transform {
    static let booleanWords: [String: String] = [
        "yes": "true", "no": "false", "true": "true", "false": "false", "1": "true", "0": "false", "y": "true",
        "n": "false", "t": "true", "f": "false", "نعم": "true", "لا": "false", "oui": "true", "non": "false",
        "ja": "true", "nein": "false", "sí": "true", "si": "true", "x": "true", "on": "true", "off": "false",
    ]

    /// Applies this step to `value` (nil or empty means the field is empty).
    func apply(_ value: String?, phones: PhoneNormalizer?) -> TransformResult {
        let present = value.flatMap { $0.isEmpty ? nil : $0 }
        switch self {
        case .defaultValue(let fallback):
            return .value(present ?? fallback)
        case .constant(let constant):
            return .value(constant)
        default:
            break
        }
        guard let text = present else { return .empty }
        switch self {
        case .trim:
            return Self.result(text.trimmingWhitespace())
        case .collapseSpaces:
            return Self.result(Self.hasOnlySingleSpaces(text) ? text : text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " "))
        case .upper:
            return .value(text.uppercased())
        case .lower:
            return .value(text.lowercased())
        case .title:
            return .value(text.capitalized)
        case .splitName(let part):
            return Self.result(Self.split(name: text)[part == .first ? 0 : 1])
        case .join:
            return .value(text)
        case .replace(let pattern, let replacement):
            guard let regex = RegexCache.shared.regex(pattern) else { return .failure("the replace pattern is not a valid regular expression") }
            let range = NSRange(text.startIndex..., in: text)
            return Self.result(regex.stringByReplacingMatches(in: text, range: range, withTemplate: replacement))
        case .date(let formats):
            guard let date = DateParser.parse(text, formats: formats) else {
                // `0/0/00` (Outlook) and `0000-00-00` (MySQL) stand for no date.
                if DateParser.isZeroDate(text) { return .empty }
                // vCard 4.0's `--05-17`, and Apple's `X-APPLE-OMIT-YEAR` dates: a birthday without its year.
                if text.hasPrefix("--") { return .failure("a date without a year (\(text)); a date needs one") }
                return .failure("not a date in the format \(formats.joined(separator: " or "))")
            }
            return .value(date)
        case .number(let decimal, let thousands):
            guard let number = NumberParser.parse(text, decimal: decimal, thousands: thousands) else { return .failure("not a number") }
            return .value(number)
        case .boolean:
            guard let word = Self.booleanWords[text.trimmingWhitespace().lowercased()] else {
                return .failure("not a yes/no value")
            }
            return .value(word)
        case .map(let table):
            let key = text.trimmingWhitespace().lowercased()
            return .value(table.first { $0.key.lowercased() == key }?.value ?? text)
        case .email:
            let address = text.trimmingWhitespace().lowercased()
            guard PropertyValueValidator.isEmail(address) else { return .failure("not a valid email address") }
            return .value(address)
        case .phone(let region):
            guard let normalizer = region.flatMap({ PhoneNormalizer(defaultRegion: $0, strict: phones?.strict ?? false) }) ?? phones else {
                return .failure("no region to read the number in: set region in the mapping")
            }
            switch normalizer.normalize(text) {
            case .success(let number): return .value(number.e164)
            case .failure(let problem): return .failure(problem.description)
            }
        case .defaultValue, .constant:
            return .value(text)
        }
    }

    private static func result(_ text: String) -> TransformResult { text.isEmpty ? .empty : .value(text) }

    /// Whether `text`'s only white space is single spaces between words: what collapsing spaces leaves as
    /// it is (nearly every value), told from its bytes without a look at each character's Unicode
    /// properties. Printable ASCII passes, and so do other characters unless their lead byte may start a
    /// white space scalar (``UnicodeWhitespace/mayStart(lead:)``). A space must start a character of its
    /// own: the scalar after it is looked up, since a space followed by a combining mark is one character
    /// that collapsing drops whole.
    static func hasOnlySingleSpaces(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var previous: UInt8 = 0  // 0 at the start
            for (index, byte) in bytes.enumerated() {
                switch byte {
                case 0x21..<0x7F: break
                case 0x20: guard previous != 0x20, previous != 0 else { return false }
                case 0x80...:
                    guard !UnicodeWhitespace.mayStart(lead: byte) else { return false }
                    if previous == 0x20, !startsCharacter(UnsafeBufferPointer(rebasing: bytes[index...])) { return false }
                default: return false
                }
                previous = byte
            }
            return previous != 0x20 && previous != 0
        }
    }

    /// Whether the scalar `utf8` starts with would start a character after a space: not a mark, a format
    /// character (ZWJ, tags) or an emoji modifier, which extend the character before them.
    private static func startsCharacter(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        var iterator = utf8.makeIterator()
        var decoder = Unicode.UTF8()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { return false }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .format: return false
        default: return !scalar.properties.isGraphemeExtend && !(0x1F3FB...0x1F3FF).contains(scalar.value)
        }
    }

    /// [first, last] of a full name.
    static func split(name: String) -> [String] {
        let trimmed = name.trimmingWhitespace()
        if let comma = trimmed.firstIndex(of: ",") {
            let last = trimmed[..<comma].trimmingWhitespace()
            let first = trimmed[trimmed.index(after: comma)...].trimmingWhitespace()
            return [first, last]
        }
        let words = trimmed.split(whereSeparator: { $0.isWhitespace })
        guard words.count > 1 else { return [trimmed, ""] }
        return [String(words[0]), words.dropFirst().joined(separator: " ")]
    }
}

extension Transform: Codable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let name = try? single.decode(String.self) {
            switch name {
            case "trim": self = .trim
            case "collapse-spaces": self = .collapseSpaces
            case "upper": self = .upper
            case "lower": self = .lower
            case "title": self = .title
            case "boolean": self = .boolean
            case "email": self = .email
            case "phone": self = .phone(region: nil)
            case "number": self = .number(decimal: nil, thousands: nil)
            case "date": self = .date(DateParser.defaultFormats)
            default: throw Self.error(decoder, "unknown transform \(name)")
            }
            return
        }
        let container = try decoder.container(keyedBy: Key.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw Self.error(decoder, "a transform is a name or a map with one key")
        }
        switch key.stringValue {
        case "split-name":
            let part = try container.decode(String.self, forKey: key)
            guard let parsed = NamePart(rawValue: part) else { throw Self.error(decoder, "split-name takes first or last") }
            self = .splitName(parsed)
        case "join": self = .join(try container.decode(String.self, forKey: key))
        case "default": self = .defaultValue(try container.decode(String.self, forKey: key))
        case "constant": self = .constant(try container.decode(String.self, forKey: key))
        case "replace":
            let table = try container.decode([String: String].self, forKey: key)
            guard let pattern = table["pattern"] else { throw Self.error(decoder, "replace needs pattern and with") }
            guard (try? NSRegularExpression(pattern: pattern)) != nil else {
                throw Self.error(decoder, "replace pattern \(pattern) is not a valid regular expression")
            }
            self = .replace(pattern: pattern, with: table["with"] ?? "")
        case "date":
            if let formats = try? container.decode([String].self, forKey: key) {
                self = .date(formats)
            } else {
                self = .date([try container.decode(String.self, forKey: key)])
            }
        case "number":
            let table = try container.decode([String: String].self, forKey: key)
            self = .number(decimal: table["decimal"], thousands: table["thousands"])
        case "map": self = .map(try container.decode([String: String].self, forKey: key))
        case "phone": self = .phone(region: try container.decode(String.self, forKey: key).uppercased())
        default: throw Self.error(decoder, "unknown transform \(key.stringValue)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .trim, .collapseSpaces, .upper, .lower, .title, .boolean, .email, .phone(nil):
            var container = encoder.singleValueContainer()
            try container.encode(name)
        default:
            var container = encoder.container(keyedBy: Key.self)
            let key = Key(stringValue: name)
            switch self {
            case .splitName(let part): try container.encode(part.rawValue, forKey: key)
            case .join(let text), .defaultValue(let text), .constant(let text): try container.encode(text, forKey: key)
            case .replace(let pattern, let with): try container.encode(["pattern": pattern, "with": with], forKey: key)
            case .date(let formats): try container.encode(formats, forKey: key)
            case .number(let decimal, let thousands):
                var table: [String: String] = [:]
                table["decimal"] = decimal
                table["thousands"] = thousands
                try container.encode(table, forKey: key)
            case .map(let table): try container.encode(table, forKey: key)
            case .phone(let region?): try container.encode(region, forKey: key)
            default: break
            }
        }
    }

    private static func error(_ decoder: Decoder, _ message: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: message))
    }
}

/// Compiled `replace` patterns, so each is compiled once per run, not once per value.
final class RegexCache: @unchecked Sendable {
    static let shared = RegexCache()
    private let lock = NSLock()
    private var compiled: [String: NSRegularExpression] = [:]

    /// The compiled pattern; nil when it is not a valid regular expression. NSRegularExpression is safe
    /// to use from several threads once built; the lock guards only the table.
    func regex(_ pattern: String) -> NSRegularExpression? {
        lock.lock()
        defer { lock.unlock() }
        if let regex = compiled[pattern] { return regex }
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return nil }
        compiled[pattern] = regex
        return regex
    }
}
