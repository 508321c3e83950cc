import HatifAPI

/// The options of the choice lists (SingleSelect, MultiSelect) that grow during a run: each draft's values
/// are spelled as the option they match (ignoring case), and a value no option matches becomes a new
/// option, collected until the run adds it to the workspace (Update Contact Property) or, in a dry run,
/// lists it.
///
/// A mapping's options are a guess from the records `mapping init` looked at; a value seen later must not
/// reject its record (``MappingFile/OptionPolicy``).
public struct ChoiceOptions: Sendable {
    /// The growing lists' options, by property name, in the order they were added.
    public private(set) var options: [String: [String]]
    /// Options found since the last ``takeAdded()``, by property name, in the order found.
    public private(set) var added: [String: [String]] = [:]
    private var spelling: [String: [String: String]]

    /// Starts from the options the workspace (or, in a dry run, the plan) has for each growing property.
    public init(options: [String: [String]]) {
        self.options = options
        self.spelling = options.mapValues { list in
            Dictionary(list.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// The options of `mapping`'s growing properties as `properties` (the workspace's) have them, with the
    /// mapping's own options after them.
    public init(mapping: MappingFile, properties: [String: ContactPropertyDto]) {
        var options: [String: [String]] = [:]
        for name in mapping.properties.keys where mapping.growsOptions(of: name) {
            var list = properties[name]?.options ?? []
            for option in mapping.properties[name]?.options ?? [] where !list.contains(where: { $0.caseInsensitiveCompare(option) == .orderedSame }) {
                list.append(option)
            }
            options[name] = list
        }
        self.init(options: options)
    }

    /// Whether any property's list grows.
    public var isEmpty: Bool { options.isEmpty }

    /// Spells `draft`'s values of growing lists as their options, and notes the values that are new.
    public mutating func settle(_ draft: inout ContactDraft) {
        guard !options.isEmpty else { return }
        for (name, value) in draft.properties where options[name] != nil {
            var pieces: [String] = []
            for piece in value.split(separator: ";", omittingEmptySubsequences: true) {
                let text = String(piece)
                let key = text.lowercased()
                if let known = spelling[name]?[key] {
                    pieces.append(known)
                } else {
                    spelling[name, default: [:]][key] = text
                    options[name, default: []].append(text)
                    added[name, default: []].append(text)
                    pieces.append(text)
                }
            }
            draft.properties[name] = pieces.joined(separator: ";")
        }
    }

    /// The options found since the last call, which are then forgotten as new (not as options).
    public mutating func takeAdded() -> [String: [String]] {
        defer { added = [:] }
        return added
    }

    /// A choice value as a growing list takes it: each piece (`;`-separated for MultiSelect) spelled as the
    /// option it matches, else as written, trimmed; nil when it cannot be an option (empty, or a `;` in a
    /// SingleSelect value, since options never hold one).
    static func openValue(_ value: String, type: ContactPropertyType, options: [String]) -> String? {
        func spelled(_ piece: String) -> String? {
            let trimmed = piece.trimmingWhitespace()
            guard !trimmed.isEmpty else { return nil }
            return PropertyValueValidator.option(trimmed, in: options) ?? trimmed
        }
        switch type {
        case .singleSelect:
            guard !value.utf8.contains(UInt8(ascii: ";")) else { return nil }
            return spelled(value)
        case .multiSelect:
            var chosen: [String] = []
            for piece in value.split(separator: ";") {
                guard let option = spelled(String(piece)) else { continue }
                if !chosen.contains(option) { chosen.append(option) }
            }
            return chosen.isEmpty ? nil : chosen.joined(separator: ";")
        default:
            return nil
        }
    }
}
