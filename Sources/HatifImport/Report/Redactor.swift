/// Masks contact data in what a report shows (`--redact`), so a report can be shared outside the team:
/// names keep their first letter (`M•••`), phones their first five and last two characters
/// (`+9665•••••43`), e-mails the first letter and the domain (`m•••@example.com`). Free text (reasons, notes)
/// has its quoted values, e-mail addresses and phone numbers masked.
public struct Redactor: Sendable {
    static let dot: Character = "•"

    public init() {}

    /// An entry with every value of its changes and its reasons masked.
    public func redact(_ entry: PlanEntry) -> PlanEntry {
        var redacted = entry
        redacted.changes = entry.changes.map { change in
            FieldChange(field: change.field, old: change.old.map { value($0, field: change.field) }, new: change.new.map { value($0, field: change.field) })
        }
        redacted.reasons = entry.reasons.map(text)
        return redacted
    }

    /// A value of a contact field: `FirstName`, `LastName`, `PhoneNumber`, `Email`; a property's or a source
    /// column's value is masked as what it looks like.
    public func value(_ value: String, field: String) -> String {
        switch field {
        case "FirstName", "LastName": name(value)
        case "PhoneNumber": phone(value)
        case "Email": email(value)
        default: guess(value)
        }
    }

    /// `Maha` → `M•••`.
    public func name(_ value: String) -> String {
        guard let first = value.first else { return value }
        return String(first) + "•••"
    }

    /// `+966501234543` → `+9665••••••43`: the country code and the first digit stay, and the last two.
    public func phone(_ value: String) -> String {
        let characters = Array(value)
        guard characters.count > 7 else { return characters.first.map { String($0) + "•••" } ?? value }
        return String(characters.prefix(5)) + String(repeating: Self.dot, count: characters.count - 7) + String(characters.suffix(2))
    }

    /// `maha@example.com` → `m•••@example.com`.
    public func email(_ value: String) -> String {
        guard let at = value.lastIndex(of: "@") else { return name(value) }
        return name(String(value[..<at])) + String(value[at...])
    }

    /// A value of unknown kind: an e-mail when it holds `@`, a phone when it holds five digits or more,
    /// otherwise a name.
    public func guess(_ value: String) -> String {
        if value.isEmpty { return value }
        if value.contains("@") { return email(value) }
        if value.unicodeScalars.filter({ ("0"..."9").contains($0) }).count >= 5 { return phone(value) }
        return name(value)
    }

    /// Free text with its quoted values (`"…"`), e-mail addresses and phone numbers (runs of seven digits or
    /// more with `+`, spaces, dots, dashes or brackets) masked.
    public func text(_ value: String) -> String {
        var output = ""
        var quoted: String?
        for character in value {
            if character == "\"" {
                if let inside = quoted {
                    output += "\"" + guess(inside) + "\""
                    quoted = nil
                } else {
                    quoted = ""
                }
            } else if var inside = quoted {
                inside.append(character)
                quoted = inside
            } else {
                output.append(character)
            }
        }
        if let inside = quoted { output += "\"" + guess(inside) }
        return maskTokens(output)
    }

    /// Masks the e-mail addresses and phone numbers in `value`, word by word.
    private func maskTokens(_ value: String) -> String {
        var output = ""
        var token = ""
        var phoneRun = ""
        func digits(_ text: String) -> Int { text.unicodeScalars.filter { ("0"..."9").contains($0) }.count }
        func endToken() {
            output += token.contains("@") && !token.hasPrefix("@") ? email(token) : token
            token = ""
        }
        func endPhone() {
            // A run of digits and the punctuation of numbers, ending with a digit.
            var run = phoneRun
            var trailing = ""
            while let last = run.last, !("0"..."9").contains(last) { trailing = String(last) + trailing; run.removeLast() }
            output += digits(run) >= 7 ? phone(run) + trailing : phoneRun
            phoneRun = ""
        }
        for character in value {
            let isDigit = ("0"..."9").contains(character)
            let isPhonePunctuation = "+ -.()".contains(character)
            if token.isEmpty && (isDigit || (isPhonePunctuation && !phoneRun.isEmpty) || (character == "+" && phoneRun.isEmpty)) {
                phoneRun.append(character)
                continue
            }
            if !phoneRun.isEmpty {
                let joined = phoneRun.last.map { ("0"..."9").contains($0) } ?? false
                if joined && (character.isLetter || character == "@" || character == "_") {
                    // Digits that start a word (an e-mail's local part): part of the token.
                    token = phoneRun
                    phoneRun = ""
                } else {
                    endPhone()
                }
            }
            if character.isWhitespace || ",;:<>[]{}'\"".contains(character) {
                endToken()
                output.append(character)
            } else {
                token.append(character)
            }
        }
        if !phoneRun.isEmpty { endPhone() }
        endToken()
        return output
    }
}
