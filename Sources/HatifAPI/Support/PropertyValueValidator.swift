import Foundation

/// Checks a property value against its type and options and gives its canonical form: the contract's
/// rule, shared by the sandbox (which stores canonical values) and the importer (which compares them).
///
/// Canonical forms (what the sandbox stores and returns): `Number` without superfluous zeros (`42.5`),
/// `Boolean` `true`/`false`, `Date` `YYYY-MM-DD`, `DateTime` `YYYY-MM-DDTHH:MM:SSZ` in UTC, `Email` lower
/// case, select values spelled as in `Options`, `MultiSelect` joined by `;`.
public enum PropertyValueValidator {
    public static var e164: Regex<Substring> { /^\+[1-9][0-9]{6,14}$/ }
    public static var email: Regex<Substring> { /^[^@\s]+@[^@\s]+\.[^@\s]+$/ }
    static var number: Regex<(Substring, Substring?)> { /^-?[0-9]+(\.[0-9]+)?$/ }
    static var date: Regex<(Substring, Substring, Substring, Substring)> { /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/ }
    public static let maxTextLength = 4000

    /// The canonical value, or nil when `value` does not fit.
    public static func canonical(_ value: String, type: ContactPropertyType, options: [String]) -> String? {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        switch type {
        case .text:
            return value.isEmpty || value.count > maxTextLength ? nil : value
        case .number:
            guard trimmed.wholeMatch(of: number) != nil else { return nil }
            return canonicalNumber(trimmed)
        case .date:
            return isCalendarDate(trimmed) ? trimmed : nil
        case .dateTime:
            guard let date = try? Date.ISO8601FormatStyle().parse(trimmed)
                ?? (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(trimmed))
            else { return nil }
            return Date.ISO8601FormatStyle().format(date)
        case .boolean:
            switch trimmed.lowercased() {
            case "true": return "true"
            case "false": return "false"
            default: return nil
            }
        case .email:
            return trimmed.wholeMatch(of: email) != nil ? trimmed.lowercased() : nil
        case .phone:
            return trimmed.wholeMatch(of: e164) != nil ? trimmed : nil
        case .url:
            guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(),
                scheme == "http" || scheme == "https", url.host?.isEmpty == false
            else { return nil }
            return trimmed
        case .singleSelect:
            return option(trimmed, in: options)
        case .multiSelect:
            var chosen: [String] = []
            for piece in trimmed.split(separator: ";") {
                guard let match = option(piece.trimmingCharacters(in: .whitespaces), in: options) else { return nil }
                if !chosen.contains(match) { chosen.append(match) }
            }
            return chosen.isEmpty ? nil : chosen.joined(separator: ";")
        }
    }

    /// What a value of `type` must look like, for error messages.
    public static func expectation(for type: ContactPropertyType, options: [String]) -> String {
        switch type {
        case .text: "non-empty text of at most \(maxTextLength) characters"
        case .number: "a number such as 42.5"
        case .date: "a date YYYY-MM-DD"
        case .dateTime: "an ISO 8601 time such as 2026-03-17T12:00:00Z"
        case .boolean: "true or false"
        case .email: "an email address"
        case .phone: "an E.164 phone number such as +966500111222"
        case .url: "an http(s) URL"
        case .singleSelect: "one of: \(options.joined(separator: ", "))"
        case .multiSelect: "values separated by ';' from: \(options.joined(separator: ", "))"
        }
    }

    private static func option(_ value: String, in options: [String]) -> String? {
        options.first { $0 == value } ?? options.first { $0.caseInsensitiveCompare(value) == .orderedSame }
    }

    private static func canonicalNumber(_ text: String) -> String {
        var negative = false
        var body = Substring(text)
        if body.hasPrefix("-") {
            negative = true
            body = body.dropFirst()
        }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        var integer = String(parts[0].drop { $0 == "0" })
        if integer.isEmpty { integer = "0" }
        var fraction = parts.count > 1 ? String(parts[1]) : ""
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let magnitude = fraction.isEmpty ? integer : "\(integer).\(fraction)"
        return negative && magnitude != "0" ? "-\(magnitude)" : magnitude
    }

    public static func isCalendarDate(_ text: String) -> Bool {
        guard let match = text.wholeMatch(of: date), let year = Int(match.1), let month = Int(match.2),
            let day = Int(match.3), (1...12).contains(month), day >= 1
        else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
    }
}
