import HatifAPI

/// Reads numbers written with a decimal comma or point and thousands separators (`1.234,50`, `1,234.5`,
/// `1 234,5`, `12,00 €`) and writes the canonical form (`1234.5`).
enum NumberParser {
    static func parse(_ text: String, decimal: String?, thousands: String?) -> String? {
        var body = text.trimmingWhitespace()
        for symbol in ["€", "$", "£", "SAR", "AED", "ر.س", "%"] { body = body.replacingOccurrences(of: symbol, with: "") }
        body = body.replacingOccurrences(of: "\u{00A0}", with: " ").trimmingWhitespace()
        var negative = false
        if body.hasPrefix("-") || (body.hasPrefix("(") && body.hasSuffix(")")) {
            negative = true
            body = String(body.drop { $0 == "-" || $0 == "(" }.prefix { $0 != ")" })
        }
        let decimalMark: Character
        if let decimal, let mark = decimal.first {
            decimalMark = mark
        } else {
            decimalMark = guessDecimalMark(body)
        }
        let thousandsMarks: Set<Character> =
            thousands.map { Set($0) } ?? Set([",", ".", " ", "'"]).subtracting([decimalMark])
        var digits = ""
        var seenDecimal = false
        for character in body {
            if character.isASCII && character.isNumber {
                digits.append(character)
            } else if character == decimalMark && !seenDecimal {
                digits.append(".")
                seenDecimal = true
            } else if thousandsMarks.contains(character) && !seenDecimal {
                continue
            } else {
                return nil
            }
        }
        guard !digits.isEmpty, digits != "." else { return nil }
        return PropertyValueValidator.canonical((negative ? "-" : "") + digits, type: .number, options: [])
    }

    /// The last of `,` and `.` when both occur; a lone one is a decimal mark unless exactly three digits
    /// follow it (`1,234` is a thousand).
    static func guessDecimalMark(_ text: String) -> Character {
        let lastComma = text.lastIndex(of: ",")
        let lastPoint = text.lastIndex(of: ".")
        switch (lastComma, lastPoint) {
        case let (comma?, point?): return comma > point ? "," : "."
        case let (comma?, nil):
            let after = text[text.index(after: comma)...]
            return after.count == 3 && text.filter({ $0 == "," }).count >= 1 && !text.hasPrefix("0,") ? "." : ","
        default: return "."
        }
    }
}
