extension String {
    /// The string without leading and trailing spaces and tabs (a fast, Foundation-free trim for hot paths).
    func trimmedSpaces() -> String {
        let utf8 = self.utf8
        guard let first = utf8.first, let last = utf8.last,
            first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09
        else { return self }
        var text = Substring(self)
        while let head = text.first, head == " " || head == "\t" { text.removeFirst() }
        while let tail = text.last, tail == " " || tail == "\t" { text.removeLast() }
        return String(text)
    }

    /// The string lower-cased; the string itself, with nothing made, when it is ASCII without a capital
    /// (nearly every e-mail address, which the mapping and the duplicate checks lower-case on every record).
    var lowercasedIfNeeded: String {
        var bytes = self
        return bytes.withUTF8 { $0.contains { $0 >= 0x41 && ($0 <= 0x5A || $0 >= 0x80) } } ? lowercased() : self
    }
}
