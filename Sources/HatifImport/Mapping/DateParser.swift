import HatifAPI

/// Reads dates in explicit formats (`dd/MM/yyyy`, `MM/dd/yyyy`, `yyyy-MM-dd`, `d.M.yy`, …), Excel serial
/// days and ISO 8601, and writes `YYYY-MM-DD`. No locale, no time zone: a date is a calendar day.
enum DateParser {
    static let defaultFormats = ["yyyy-MM-dd", "dd/MM/yyyy", "dd.MM.yyyy", "yyyyMMdd"]

    /// Whether `text` is an empty date written as zeros: Outlook's `0/0/00` for a contact without a
    /// birthday, MySQL's `0000-00-00` (and `0000-00-00 00:00:00`), `00/00/0000`, `00.00.0000`. Only zeros
    /// between the separators `/ - . :`, spaces and a `T`, and at least one separator.
    static func isZeroDate(_ text: String) -> Bool {
        var zeros = 0
        var separators = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0"): zeros += 1
            case UInt8(ascii: "/"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: ":"): separators += 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "T"): break
            default: return false
            }
        }
        return zeros >= 2 && separators >= 1
    }

    /// The date as `YYYY-MM-DD`, from the first format that reads the whole text as a real calendar day.
    static func parse(_ text: String, formats: [String]) -> String? {
        let trimmed = text.trimmingWhitespace()
        for format in formats {
            if let date = parse(trimmed, format: format) { return date }
        }
        return nil
    }

    static func parse(_ text: String, format: String) -> String? {
        switch format.lowercased() {
        case "excel": return excel(text)
        case "iso":
            let datePart = text.split(separator: "T").first.map(String.init) ?? text
            return parse(datePart, format: "yyyy-MM-dd")
        default: break
        }
        var year: Int?
        var month: Int?
        var day: Int?
        var textIndex = text.startIndex
        var formatIndex = format.startIndex
        while formatIndex < format.endIndex {
            let token = format[formatIndex]
            var length = 0
            var cursor = formatIndex
            while cursor < format.endIndex, format[cursor] == token {
                length += 1
                cursor = format.index(after: cursor)
            }
            if token == "y" || token == "M" || token == "d" {
                // One-letter tokens take one or two digits; longer ones take exactly that many.
                var digits = ""
                let maximum = length == 1 ? 2 : length
                while textIndex < text.endIndex, digits.count < maximum, text[textIndex].isASCII, text[textIndex].isNumber {
                    digits.append(text[textIndex])
                    textIndex = text.index(after: textIndex)
                }
                guard let number = Int(digits), length == 1 || digits.count == length else { return nil }
                switch token {
                case "y": year = length == 2 ? (number < 70 ? 2000 + number : 1900 + number) : number
                case "M": month = number
                default: day = number
                }
                formatIndex = cursor
            } else {
                guard textIndex < text.endIndex, text[textIndex] == token else { return nil }
                textIndex = text.index(after: textIndex)
                formatIndex = format.index(after: formatIndex)
            }
        }
        guard textIndex == text.endIndex, let year, let month, let day else { return nil }
        let result = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
        return PropertyValueValidator.isCalendarDate(result) ? result : nil
    }

    /// Excel's serial day (1900 system, with its phantom 29 February 1900): 45000 is 2023-03-15.
    static func excel(_ text: String) -> String? {
        guard let serial = Double(text), serial >= 1, serial < 2_958_466 else { return nil }
        var days = Int(serial.rounded(.down))
        if days >= 60 { days -= 1 }
        // Day 1 is 1900-01-01, which is 25,567 days before 1970-01-01.
        return civil(fromDaysSince1970: days - 25_568)
    }

    /// The calendar date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
    static func civil(fromDaysSince1970 days: Int) -> String {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
