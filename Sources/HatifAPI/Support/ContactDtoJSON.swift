import Foundation

/// Reads a ``ContactDto`` from the JSON an API answers with, straight from the bytes: Update Contact is most
/// of an import's calls, and `JSONDecoder` was about a tenth of the CPU of each.
///
/// It reads the plain forms only and returns nil for anything else (a number or a nested value in a field
/// it does not know, an escape it does not read, a duplicate key, a field of the wrong type, bytes after the
/// object), so that `JSONDecoder` then decides, error message and all: where this reads a contact, it is
/// the one `JSONDecoder` reads (a test compares them on thousands of random answers).
enum ContactDtoJSON {
    /// The contact in `bytes`, or nil when `JSONDecoder` must read them.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> ContactDto? {
        var reader = Reader(bytes: bytes)
        guard let contact = reader.contact() else { return nil }
        reader.skipWhitespace()
        return reader.index == bytes.count ? contact : nil
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var index = 0

        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        mutating func contact() -> ContactDto? {
            var id: String?, firstName: String??, lastName: String??, phoneNumber: String??, email: String??
            var properties: [Components.Schemas.ContactPropertyValueDto]?, creationTime: Date?, lastModificationTime: Date??
            let complete = object { reader, key in
                switch key {
                case "Id": return Self.once(&id, reader.string())
                case "FirstName": return Self.once(&firstName, reader.optionalString())
                case "LastName": return Self.once(&lastName, reader.optionalString())
                case "PhoneNumber": return Self.once(&phoneNumber, reader.optionalString())
                case "Email": return Self.once(&email, reader.optionalString())
                case "Properties": return Self.once(&properties, reader.propertyValues())
                case "CreationTime": return Self.once(&creationTime, reader.string().flatMap(Self.date))
                case "LastModificationTime": return Self.once(&lastModificationTime, reader.optionalDate())
                default: return reader.skipValue()
                }
            }
            guard complete, let id, let properties, let creationTime else { return nil }
            return ContactDto(
                id: id, firstName: firstName ?? nil, lastName: lastName ?? nil, phoneNumber: phoneNumber ?? nil,
                email: email ?? nil, properties: properties, creationTime: creationTime,
                lastModificationTime: lastModificationTime ?? nil)
        }

        /// A time, or `.some(nil)` for `null`; nil for anything else.
        mutating func optionalDate() -> Date?? {
            guard let text = optionalString() else { return nil }
            guard let text else { return .some(nil) }
            return Self.date(text).map { .some($0) }
        }

        /// A time as the client's transcoder reads it; nil for text it refuses.
        private static func date(_ text: String) -> Date? {
            try? FlexibleISO8601Transcoder().decode(text)
        }

        /// Stores `value` in `slot` unless it is nil or the key came before (which `JSONDecoder` decides).
        private static func once<T>(_ slot: inout T?, _ value: T?) -> Bool {
            guard slot == nil, let value else { return false }
            slot = value
            return true
        }

        mutating func propertyValues() -> [Components.Schemas.ContactPropertyValueDto]? {
            skipWhitespace()
            guard take(UInt8(ascii: "[")) else { return nil }
            var values: [Components.Schemas.ContactPropertyValueDto] = []
            skipWhitespace()
            if take(UInt8(ascii: "]")) { return values }
            repeat {
                var propertyID: String?, name: String?, value: String?
                let complete = object { reader, key in
                    switch key {
                    case "PropertyId": return Self.once(&propertyID, reader.string())
                    case "Name": return Self.once(&name, reader.string())
                    case "Value": return Self.once(&value, reader.string())
                    default: return reader.skipValue()
                    }
                }
                guard complete, let propertyID, let name, let value else { return nil }
                values.append(Components.Schemas.ContactPropertyValueDto(propertyId: propertyID, name: name, value: value))
                skipWhitespace()
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "]")) ? values : nil
        }

        /// Reads an object, handing each key to `field`, which reads its value; false when either fails.
        mutating func object(_ field: (inout Reader, String) -> Bool) -> Bool {
            skipWhitespace()
            guard take(UInt8(ascii: "{")) else { return false }
            skipWhitespace()
            if take(UInt8(ascii: "}")) { return true }
            repeat {
                guard let key = string() else { return false }
                skipWhitespace()
                guard take(UInt8(ascii: ":")), field(&self, key) else { return false }
                skipWhitespace()
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "}"))
        }

        /// A string, or `.some(nil)` for `null`; nil for anything else.
        mutating func optionalString() -> String?? {
            skipWhitespace()
            if literal("null") { return .some(nil) }
            return string().map { .some($0) }
        }

        /// A string with no escapes but `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t` and `\u` outside the
        /// surrogates, in valid UTF-8 without control characters; nil for anything else.
        mutating func string() -> String? {
            skipWhitespace()
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let text = String(validating: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                    index += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") { return escapedString(from: start) }
                if byte < 0x20 { return nil }
                index += 1
            }
            return nil
        }

        private mutating func escapedString(from start: Int) -> String? {
            var utf8 = Array(bytes[start..<index])
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(validating: utf8, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard index < bytes.count else { return nil }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                    case UInt8(ascii: "b"): utf8.append(0x08)
                    case UInt8(ascii: "f"): utf8.append(0x0C)
                    case UInt8(ascii: "n"): utf8.append(0x0A)
                    case UInt8(ascii: "r"): utf8.append(0x0D)
                    case UInt8(ascii: "t"): utf8.append(0x09)
                    case UInt8(ascii: "u"):
                        guard let scalar = hex4().flatMap(Unicode.Scalar.init) else { return nil }
                        utf8.append(contentsOf: String(Character(scalar)).utf8)
                    default: return nil
                    }
                case 0..<0x20: return nil
                default: utf8.append(byte)
                }
            }
            return nil
        }

        private mutating func hex4() -> UInt32? {
            guard index + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }

        /// Skips a value of a field this reader does not know: a string, `true`, `false` or `null` (a number or
        /// a nested value is left to `JSONDecoder`, which checks its syntax).
        mutating func skipValue() -> Bool {
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "\"") { return string() != nil }
            return literal("null") || literal("true") || literal("false")
        }

        private mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
            index += count
            return true
        }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): index += 1
                default: return
                }
            }
        }

        private mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
    }
}
