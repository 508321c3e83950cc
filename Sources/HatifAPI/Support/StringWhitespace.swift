extension StringProtocol {
    /// The text without leading and trailing white space and line breaks.
    ///
    /// Foundation's `trimmingCharacters(in:)` goes through `NSString` on Linux and cost a quarter of the
    /// mapping's time; this looks at the two ends only and copies nothing when there is nothing to trim.
    public func trimmingWhitespace() -> String {
        String(self).trimmedAtEnds() // a String itself takes the overload below
    }
}

extension String {
    /// The text without leading and trailing white space and line breaks (``StringProtocol/trimmingWhitespace()``
    /// without a cast to `String` on every call: the mapping calls it once a value).
    public func trimmingWhitespace() -> String { trimmedAtEnds() }

    fileprivate func trimmedAtEnds() -> String {
        // Most values start and end with a character that is never white space (printable ASCII, Arabic,
        // Cyrillic, CJK…): nothing to trim, nothing to look up.
        if let first = utf8.first, Self.neverWhitespace(lead: first), let last = lastLead, Self.neverWhitespace(lead: last) {
            return self
        }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) ?? first
        if first == scalars.startIndex, scalars.index(after: last) == scalars.endIndex { return self }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    /// The first byte of the last scalar.
    private var lastLead: UInt8? {
        var index = utf8.endIndex
        while index > utf8.startIndex {
            index = utf8.index(before: index)
            let byte = utf8[index]
            if byte & 0xC0 != 0x80 { return byte }
        }
        return nil
    }

    /// Whether a scalar whose UTF-8 starts with `lead` is never white space: printable ASCII, or a lead
    /// byte of a non-ASCII scalar that ``UnicodeWhitespace/mayStart(lead:)`` rules out.
    private static func neverWhitespace(lead: UInt8) -> Bool {
        (lead > 0x20 && lead < 0x7F) || (lead >= 0xC2 && !UnicodeWhitespace.mayStart(lead: lead))
    }
}

/// What the UTF-8 bytes of a text tell about its white space without a look at Unicode properties.
public enum UnicodeWhitespace {
    /// Whether a non-ASCII scalar whose UTF-8 starts with `lead` may be white space: the lead bytes of
    /// U+0080–U+00BF (NEL, NBSP), U+1000–U+1FFF (OGHAM SPACE MARK) and U+2000–U+3FFF (the spaces,
    /// separators and IDEOGRAPHIC SPACE); no other non-ASCII scalar is.
    public static func mayStart(lead: UInt8) -> Bool { lead == 0xC2 || (0xE1...0xE3).contains(lead) }
}
