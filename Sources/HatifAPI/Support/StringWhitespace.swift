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
        // Most values start and end with a printable ASCII character: nothing to trim, nothing to look up.
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x7F, last > 0x20, last < 0x7F {
            return self
        }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) ?? first
        if first == scalars.startIndex, scalars.index(after: last) == scalars.endIndex { return self }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
