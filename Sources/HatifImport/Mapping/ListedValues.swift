/// The values in a phone or e-mail cell that is not one value as it stands: a cell that lists several
/// (`+966 50 111 2222 ::: +966 55 333 4444` as Google Contacts exports a label's numbers,
/// `sara@example.com; s.harbi@example.com` as Outlook and CRMs join them), or an address in the wrapping
/// that mail programs write (`Sara <sara@example.com>`, `mailto:sara@example.com`).
///
/// Asked only of a value that failed whole: the common value costs nothing, and a value that is one valid
/// number or address is never cut. Every value handed back is shorter than the cell, so asking again of
/// one that fails as well comes to an end.
enum ListedValues {
    /// The numbers a failed phone cell lists; nil for a cell of one value. The separators are characters
    /// no number is written with: `;` `,` `|` a line break, ` ::: `, and `/` with a space on each side
    /// (`030/8049511` is one number). A number a spreadsheet wrote (`9,66501E+11`) is one number.
    static func phones(in cell: String) -> [String]? {
        guard phoneSeparators.mayCut(cell), PhoneNormalizer.spreadsheetNumber(cell.trimmedSpaces()) == nil else { return nil }
        return values(split(cell, at: phoneSeparators), of: cell)
    }

    /// Whether a phone cell lists numbers at a `;` (a `;` followed by a digit, `+` or `(`): asked before the
    /// cell is read whole, because libphonenumber reads `0501112222; 0553334444` as the first number and
    /// drops the rest without a word. A `;` that starts a parameter (`tel:+966501112222;ext=12`) does not.
    static func listsAtSemicolon(_ cell: String) -> Bool {
        cell.utf8.withContiguousStorageIfAvailable { bytes in
            // Asked of every phone value: one pass over its bytes, most of which hold no `;`.
            var index = 0
            while index < bytes.count {
                defer { index += 1 }
                guard bytes[index] == UInt8(ascii: ";") else { continue }
                var next = index + 1
                while next < bytes.count, bytes[next] == 0x20 || bytes[next] == 0x09 { next += 1 }
                guard next < bytes.count else { return false }
                let byte = bytes[next]
                if byte &- UInt8(ascii: "0") < 10 || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "(") { return true }
            }
            return false
        } ?? cell.contains(";")
    }

    /// The addresses in a failed e-mail cell; nil when it holds none but itself. `Name <address>` gives
    /// the address in the brackets (the name is the contact's, mapped from its own column); otherwise the
    /// cell is split at `;` `,` `|` white space and ` ::: `, and each part loses a `mailto:` and the
    /// quotes or brackets around it.
    static func emails(in cell: String) -> [String]? {
        let bracketed = angleBracketed(cell)
        let parts = bracketed.isEmpty ? split(cell, at: emailSeparators) : bracketed
        return values(parts.map(unwrapped), of: cell)
    }

    /// Bytes that separate values, one bit per ASCII byte; the words ` ::: ` and ` / ` separate too.
    private struct Separators {
        var low: UInt64 = 0
        var high: UInt64 = 0

        init(_ bytes: String) {
            for byte in bytes.utf8 {
                if byte < 64 { low |= 1 << UInt64(byte) } else { high |= 1 << UInt64(byte - 64) }
            }
        }

        func contains(_ byte: UInt8) -> Bool {
            byte < 64 ? low & (1 << UInt64(byte)) != 0 : byte < 128 && high & (1 << UInt64(byte - 64)) != 0
        }

        /// Whether `cell` has a byte that may separate values: asked first, as a failed number is most
        /// often one number (a wrong length, a foreign one typed nationally), never cut.
        func mayCut(_ cell: String) -> Bool {
            cell.utf8.withContiguousStorageIfAvailable { bytes in
                bytes.contains { contains($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "/") }
            } ?? true
        }
    }

    private static let phoneSeparators = Separators(";,|\n\r")
    private static let emailSeparators = Separators(";,| \t\n\r")

    /// `parts` without empty ones; nil when that is the cell itself (or nothing).
    private static func values(_ parts: [Substring], of cell: String) -> [String]? {
        let values = parts.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
        guard !values.isEmpty, values != [cell] else { return nil }
        return values
    }

    /// `cell` cut at each of `separators` (bytes, so a character of several never is).
    private static func split(_ cell: String, at separators: Separators) -> [Substring] {
        let utf8 = cell.utf8
        var parts: [Substring] = []
        var start = utf8.startIndex
        var index = start
        while index < utf8.endIndex {
            let byte = utf8[index]
            var length = 0
            if byte == 0x20 {
                let rest = utf8[index...]
                if rest.starts(with: " ::: ".utf8) { length = 5 } else if rest.starts(with: " / ".utf8) { length = 3 }
            }
            if length == 0 && separators.contains(byte) { length = 1 }
            guard length > 0 else {
                index = utf8.index(after: index)
                continue
            }
            parts.append(Substring(utf8[start..<index]))
            index = utf8.index(index, offsetBy: length)
            start = index
        }
        parts.append(Substring(utf8[start...]))
        return parts
    }

    /// What the `<…>` of `cell` hold, when there are any with an `@` inside.
    private static func angleBracketed(_ cell: String) -> [Substring] {
        var found: [Substring] = []
        let utf8 = cell.utf8
        var rest = utf8[...]
        while let open = rest.firstIndex(of: UInt8(ascii: "<")), let close = rest[open...].firstIndex(of: UInt8(ascii: ">")) {
            let inside = rest[utf8.index(after: open)..<close]
            if inside.contains(UInt8(ascii: "@")) { found.append(Substring(inside)) }
            rest = rest[utf8.index(after: close)...]
        }
        return found
    }

    /// `part` without a leading `mailto:` (and the query after the address), the quotes or brackets
    /// around it, and a full stop after it (an address copied from the end of a sentence).
    private static func unwrapped(_ part: Substring) -> Substring {
        var part = part.trimmingWhitespace()[...]
        while part.count > 1, part.last == "." { part = part.dropLast() }
        let wrappers: [(Character, Character)] = [("\"", "\""), ("'", "'"), ("<", ">"), ("(", ")"), ("[", "]")]
        while let first = part.first, let last = part.last, part.count >= 2,
            wrappers.contains(where: { $0.0 == first && $0.1 == last })
        {
            part = part.dropFirst().dropLast()
        }
        if part.prefix(7).lowercased() == "mailto:" {
            part = part.dropFirst(7)
            if let query = part.firstIndex(of: "?") { part = part[..<query] }
        }
        return part
    }
}
