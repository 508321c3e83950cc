import Foundation

/// Checks a property value against its type and options and gives its canonical form: the contract's
/// rule, shared by the sandbox (which stores canonical values) and the importer (which compares them).
///
/// Canonical forms (what the sandbox stores and returns): `Number` without superfluous zeros (`42.5`),
/// `Boolean` `true`/`false`, `Date` `YYYY-MM-DD`, `DateTime` `YYYY-MM-DDTHH:MM:SSZ` in UTC, `Email` lower
/// case, select values spelled as in `Options`, `MultiSelect` joined by `;`.
public enum PropertyValueValidator {
    // The checks below are written out by hand: they run per value on the importer's hot path, where
    // building a Regex per call cost more than the rest of the mapping.

    /// Whether `name` is a valid property name: `^[a-z][a-z0-9_]{0,63}$`.
    public static func isPropertyName(_ name: String) -> Bool {
        let bytes = name.utf8
        guard let first = bytes.first, bytes.count <= 64, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z") else { return false }
        return bytes.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_") }
    }

    /// Whether `text` is E.164: `+`, a non-zero digit, then 6 to 14 digits.
    public static func isE164(_ text: String) -> Bool {
        let bytes = text.utf8
        guard bytes.count >= 8, bytes.count <= 16, bytes.first == UInt8(ascii: "+") else { return false }
        var index = bytes.index(after: bytes.startIndex)
        guard bytes[index] >= UInt8(ascii: "1"), bytes[index] <= UInt8(ascii: "9") else { return false }
        while index < bytes.endIndex {
            guard bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") else { return false }
            index = bytes.index(after: index)
        }
        return true
    }

    /// Whether `text` is an email address as mail is sent to: one `@` with something before it, a dot in
    /// the domain, dots only between other characters, and none of the characters an address cannot hold
    /// unquoted (white space, controls, `<>()[]\,;:"`), so that `Sara <sara@example.com>` and
    /// `mailto:sara@example.com` are not taken as addresses. Non-ASCII (internationalised) addresses pass.
    public static func isEmail(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var at: Int?
            var dotAfterAt = false
            var previous: UInt8 = UInt8(ascii: ".")  // a dot may not start the address
            for (count, byte) in bytes.enumerated() {
                switch byte {
                case 0..<0x21, 0x7F, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["),
                    UInt8(ascii: "]"), UInt8(ascii: "\\"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "\""):
                    return false
                case UInt8(ascii: "@"):
                    guard at == nil, count > 0, previous != UInt8(ascii: ".") else { return false }
                    at = count
                case UInt8(ascii: "."):
                    guard previous != UInt8(ascii: "."), previous != UInt8(ascii: "@") else { return false }
                    if at != nil { dotAfterAt = true }
                default: break
                }
                previous = byte
            }
            return at != nil && dotAfterAt && previous != UInt8(ascii: ".")
        }
    }

    /// Whether `text` is `-?digits(.digits)?`.
    static func isPlainNumber(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        var digitsBefore = 0
        var digitsAfter = 0
        var seenPoint = false
        for byte in bytes {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if seenPoint { digitsAfter += 1 } else { digitsBefore += 1 }
            } else if byte == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else {
                return false
            }
        }
        return digitsBefore > 0 && (!seenPoint || digitsAfter > 0)
    }
    public static let maxTextLength = 4000

    /// The canonical value, or nil when `value` does not fit.
    public static func canonical(_ value: String, type: ContactPropertyType, options: [String]) -> String? {
        let trimmed = value.trimmingWhitespace()
        switch type {
        case .text:
            return value.isEmpty || value.count > maxTextLength ? nil : value
        case .number:
            guard isPlainNumber(trimmed) else { return nil }
            return canonicalNumber(trimmed)
        case .date:
            return isCalendarDate(trimmed) ? trimmed : nil
        case .dateTime:
            // The fallback was inside the first `try?` before, so never tried (a compiler warning said so).
            guard let date = (try? Date.ISO8601FormatStyle().parse(trimmed))
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
            return isEmail(trimmed) ? trimmed.lowercased() : nil
        case .phone:
            return isE164(trimmed) ? trimmed : nil
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
                guard let match = option(piece.trimmingWhitespace(), in: options) else { return nil }
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

    /// The option `value` names: the one spelled the same, else the first that differs only in case.
    public static func option(_ value: String, in options: [String]) -> String? {
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
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return false }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), (1...12).contains(month), day >= 1
        else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
    }
}
