import HatifAPI

/// Reads the `.vcf` file of a Create Bulk Contacts vCards call the way the contract says the server does:
/// `N` (family;given) or else `FN` gives the names, the first `TEL` the phone, the first `EMAIL` the email,
/// and everything else is ignored.
///
/// Deliberately separate from the importer's own vCard reader: the sandbox checks what the importer
/// writes, so it must not share its code.
enum SandboxVCardParser {
    static let maxCards = 500
    static let maxBytes = 5 << 20

    /// One result per `BEGIN:VCARD`, in file order.
    static func parse(_ bytes: some Collection<UInt8>) throws -> [Result<ContactInput, SandboxError>] {
        guard bytes.count <= maxBytes else { throw tooLarge("The file is larger than 5 MiB.") }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw SandboxError.validation("BulkVCards.NotUtf8", "The file is not valid UTF-8.", members: ["File"])
        }
        var cards: [Result<ContactInput, SandboxError>] = []
        var current: [String]?
        for line in unfold(text) {
            let upper = line.uppercased()
            if upper == "BEGIN:VCARD" {
                if current != nil { cards.append(.failure(cardError("A card has no END:VCARD."))) }
                current = []
                guard cards.count < maxCards else { throw tooLarge("The file holds more than \(maxCards) cards.") }
            } else if upper == "END:VCARD" {
                if let lines = current { cards.append(card(lines)) }
                current = nil
            } else if current != nil {
                current?.append(line)
            }
        }
        if current != nil { cards.append(.failure(cardError("The last card has no END:VCARD."))) }
        guard !cards.isEmpty else {
            throw SandboxError.validation("BulkVCards.Empty", "The file holds no vCard.", members: ["File"])
        }
        return cards
    }

    private static func tooLarge(_ message: String) -> SandboxError {
        SandboxError(status: .contentTooLarge, code: "BulkVCards.TooLarge", message: message)
    }

    private static func cardError(_ message: String) -> SandboxError {
        SandboxError.validation("Contact.InvalidVCard", message)
    }

    /// Lines with folding undone (a line starting with a space or tab continues the one before).
    static func unfold(_ text: String) -> [String] {
        var lines: [String] = []
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            if let first = raw.first, first == " " || first == "\t", !lines.isEmpty {
                lines[lines.count - 1] += raw.dropFirst()
            } else if !raw.isEmpty {
                lines.append(String(raw))
            }
        }
        return lines
    }

    private static func card(_ lines: [String]) -> Result<ContactInput, SandboxError> {
        var version: String?
        var structuredName: [String]?
        var formattedName: String?
        var phone: String?
        var email: String?
        for line in lines {
            guard let colon = firstUnquotedColon(line) else { continue }
            let head = line[..<colon]
            let value = String(line[line.index(after: colon)...])
            var name = head.split(separator: ";", maxSplits: 1).first.map(String.init)?.uppercased() ?? ""
            if let dot = name.lastIndex(of: ".") { name = String(name[name.index(after: dot)...]) }
            switch name {
            case "VERSION": version = value.trimmingCharacters(in: .whitespaces)
            case "N" where structuredName == nil: structuredName = splitStructured(value)
            case "FN" where formattedName == nil: formattedName = unescape(value)
            case "TEL" where phone == nil:
                var number = unescape(value).trimmingCharacters(in: .whitespaces)
                if number.lowercased().hasPrefix("tel:") { number.removeFirst(4) }
                phone = number
            case "EMAIL" where email == nil: email = unescape(value).trimmingCharacters(in: .whitespaces)
            default: continue
            }
        }
        guard version == "3.0" || version == "4.0" else {
            return .failure(
                SandboxError.validation(
                    "Contact.UnsupportedVCardVersion", "Only vCard 3.0 and 4.0 are accepted (VERSION \(version ?? "missing")).")
            )
        }
        var firstName: String?
        var lastName: String?
        if let parts = structuredName, parts.contains(where: { !$0.isEmpty }) {
            lastName = parts.first
            firstName = parts.count > 1 ? parts[1] : nil
        } else if let full = formattedName?.trimmingCharacters(in: .whitespaces), !full.isEmpty {
            if let space = full.lastIndex(of: " ") {
                firstName = String(full[..<space]).trimmingCharacters(in: .whitespaces)
                lastName = String(full[full.index(after: space)...])
            } else {
                firstName = full
            }
        }
        return .success(
            ContactInput(
                firstName: firstName.flatMap { $0.isEmpty ? nil : $0 }, lastName: lastName.flatMap { $0.isEmpty ? nil : $0 },
                phoneNumber: phone, email: email))
    }

    private static func firstUnquotedColon(_ line: String) -> String.Index? {
        var quoted = false
        for index in line.indices {
            switch line[index] {
            case "\"": quoted.toggle()
            case ":" where !quoted: return index
            default: continue
            }
        }
        return nil
    }

    /// Splits a structured value on unescaped `;` and unescapes each component.
    private static func splitStructured(_ value: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaped = false
        for character in value {
            if escaped {
                current.append("\\")
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ";" {
                parts.append(unescape(current))
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(unescape(current))
        return parts
    }

    static func unescape(_ value: String) -> String {
        var result = ""
        var escaped = false
        for character in value {
            if escaped {
                switch character {
                case "n", "N": result.append("\n")
                default: result.append(character)
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}
