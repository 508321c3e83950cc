/// What the values of a field look like, guessed from a sample of them.
public enum ValueKind: String, Sendable, Codable, CaseIterable {
    case phone, email, date, number, boolean, url, text

    /// Boolean words in English and Arabic, lower-cased.
    static let booleanWords: Set<String> = ["yes", "no", "true", "false", "y", "n", "1", "0", "نعم", "لا"]

    /// The kind of one value (never `.text` for an empty value: callers skip those).
    public static func of(_ value: String) -> ValueKind {
        let text = value.trimmedSpaces()
        if booleanWords.contains(text.lowercased()) { return .boolean }
        if looksLikeEmail(text) { return .email }
        let lower = text.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("www.") { return .url }
        if looksLikeDate(text) { return .date }
        if looksLikePhone(text) { return .phone }
        if looksLikeNumber(text) { return .number }
        return .text
    }

    /// The kind that at least 90% of `values` (non-empty) share, else `.text`.
    public static func guess(_ values: some Sequence<String>) -> ValueKind {
        var counts: [ValueKind: Int] = [:]
        var total = 0
        for value in values where !value.isEmpty {
            counts[of(value), default: 0] += 1
            total += 1
        }
        guard total > 0 else { return .text }
        // A column of 0/1 is boolean, but numbers that happen to be 0 or 1 should not make it so.
        if let booleans = counts[.boolean], let numbers = counts[.number], booleans + numbers == total, numbers > 0 {
            return Double(booleans + numbers) >= 0.9 * Double(total) ? .number : .text
        }
        let best = counts.max { $0.value < $1.value }
        guard let best, Double(best.value) >= 0.9 * Double(total) else { return .text }
        return best.key
    }

    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasSuffix("."),
            !text.contains(where: { $0 == " " || $0 == "\t" })
        else { return false }
        return true
    }

    static func looksLikePhone(_ text: String) -> Bool {
        var digits = 0
        for character in text {
            if character.isASCII && character.isNumber {
                digits += 1
            } else if !" +-().\u{00A0}/".contains(character) {
                return false
            }
        }
        guard (7...15).contains(digits) else { return false }
        let first = text.first
        return first == "+" || first == "0" || first == "(" || text.contains(" ") || text.contains("-") || digits >= 9
            && !text.contains(".")
    }

    static func looksLikeNumber(_ text: String) -> Bool {
        var body = Substring(text)
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        guard let first = body.first, first.isASCII, first.isNumber else { return false }
        var separators = 0
        for character in body {
            if character.isASCII && character.isNumber { continue }
            if character == "." || character == "," || character == " " || character == "\u{00A0}" {
                separators += 1
                continue
            }
            return false
        }
        return separators <= 4
    }

    static func looksLikeDate(_ text: String) -> Bool {
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." })
        guard parts.count == 3, parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return false }
        let lengths = parts.map(\.count)
        return lengths == [4, 2, 2] || lengths == [2, 2, 4] || lengths == [1, 1, 4] || lengths == [1, 2, 4]
            || lengths == [2, 1, 4] || lengths == [4, 1, 1] || lengths == [4, 1, 2] || lengths == [4, 2, 1]
    }
}
