import Foundation

/// Turns a cell's stored text into the value a user sees, without losing what was typed: numbers as
/// written (a phone stored as a number stays `966501234567`, not `9.66501234567E+11`), serial dates as
/// ISO dates in the workbook's date system, booleans as `TRUE` / `FALSE`.
enum XLSXCellValue {
    /// An integer written in E-notation (`9.66501234567E+11`) as its digits, else nil.
    static func plainInteger(_ text: UnsafeBufferPointer<UInt8>) -> String? {
        guard let e = text.firstIndex(where: { $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") }) else { return nil }
        var mantissa = Array(text[..<e])
        var exponentText = Array(text[(e + 1)...])
        if exponentText.first == UInt8(ascii: "+") { exponentText.removeFirst() }
        guard let exponent = Int(String(decoding: exponentText, as: UTF8.self)), exponent >= 0, exponent < 30 else { return nil }
        var negative = false
        if mantissa.first == UInt8(ascii: "-") {
            negative = true
            mantissa.removeFirst()
        }
        let parts = mantissa.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty,
            (parts.joined()).allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
        else { return nil }
        var fraction = parts.count == 2 ? Array(parts[1]) : []
        while fraction.last == UInt8(ascii: "0") { fraction.removeLast() }
        guard fraction.count <= exponent else { return nil }
        var digits = Array(whole) + fraction + Array(repeating: UInt8(ascii: "0"), count: exponent - fraction.count)
        while digits.count > 1 && digits.first == UInt8(ascii: "0") { digits.removeFirst() }
        return (negative ? "-" : "") + String(decoding: digits, as: UTF8.self)
    }

    /// A decimal written with more than the 15 significant digits a spreadsheet shows (LibreOffice writes
    /// 93.6 as `93.59999999999999`, the double's longest form) as those 15 digits (`93.6`), else nil: the
    /// value a user typed and sees.
    static func shown(_ text: UnsafeBufferPointer<UInt8>) -> String? {
        guard text.contains(UInt8(ascii: ".")), !text.contains(where: { $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") }) else { return nil }
        let digits = text.lazy.filter { $0 >= 0x30 && $0 <= 0x39 }.drop { $0 == 0x30 }.count
        guard digits > 15, let value = Double(String(decoding: text, as: UTF8.self)), value.isFinite else { return nil }
        let magnitude = abs(value)
        guard magnitude >= 1e-4 && magnitude < 1e15 else { return nil }
        var shown = String(format: "%.15g", value)
        if shown.contains("."), !shown.contains("e") {
            while shown.hasSuffix("0") { shown.removeLast() }
            if shown.hasSuffix(".") { shown.removeLast() }
        }
        return shown
    }

    /// A serial date (days since the epoch of the workbook's date system, the fraction the time of day)
    /// as `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SS`, or `HH:MM:SS` for a time alone; nil when it is no number.
    static func date(serial text: UnsafeBufferPointer<UInt8>, uses1904: Bool) -> String? {
        guard let serial = Double(String(decoding: text, as: UTF8.self)), serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
        var days = Int(serial.rounded(.down))
        var seconds = Int(((serial - Double(days)) * 86_400).rounded())
        if seconds >= 86_400 {
            days += 1
            seconds -= 86_400
        }
        let time = String(format2: seconds / 3600) + ":" + String(format2: seconds / 60 % 60) + ":" + String(format2: seconds % 60)
        if days == 0 && !uses1904 { return time }
        // Days from 1970-01-01: 1900 system from 1899-12-30 (Lotus's 1900-02-29, serial 60, is counted as
        // the day it is not, so serials before it start one day later); 1904 system from 1904-01-01.
        let fromUnixEpoch = uses1904 ? days - 24_107 : (days < 60 ? days - 25_568 : days - 25_569)
        let date = DateParser.civil(fromDaysSince1970: fromUnixEpoch)
        return seconds == 0 ? date : date + "T" + time
    }
}
