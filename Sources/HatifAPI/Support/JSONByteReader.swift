import Foundation

/// A reader of JSON straight from its bytes, for the answers read without `JSONDecoder` (``ContactDtoJSON``,
/// ``BulkVCardsResultJSON``): it reads the plain forms only and returns nil (or false) for anything else (a
/// number or a nested value in a field it does not know, an escape it does not read, a duplicate key, a field
/// of the wrong type), so that `JSONDecoder` then decides.
struct JSONByteReader {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// The value `read` reads from all of `bytes` (nothing but whitespace after it), or nil.
    static func whole<Value>(_ bytes: UnsafeRawBufferPointer, _ read: (inout Self) -> Value?) -> Value? {
        var reader = Self(bytes: bytes)
        guard let value = read(&reader) else { return nil }
        reader.skipWhitespace()
        return reader.index == bytes.count ? value : nil
    }

    /// An integer in its plain form: an optional `-`, then `0` or up to 18 digits without a leading zero;
    /// nil for anything else (a fraction, an exponent, a larger number), which `JSONDecoder` then reads.
    mutating func integer() -> Int64? {
        skipWhitespace()
        let negative = take(UInt8(ascii: "-"))
        let start = index
        var value: Int64 = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9"), index - start < 18 {
            value = value * 10 + Int64(bytes[index] - UInt8(ascii: "0"))
            index += 1
        }
        let digits = index - start
        guard digits > 0, digits == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
        if index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): return nil
            default: break
            }
        }
        return negative ? -value : value
    }

    /// An integer in its plain form (``integer()``) that fits an `Int32`; nil for anything else.
    mutating func int32() -> Int32? { integer().flatMap { Int32(exactly: $0) } }

    /// Stores `value` in `slot` unless it is nil or the key came before (which `JSONDecoder` decides).
    static func once<T>(_ slot: inout T?, _ value: T?) -> Bool {
        guard slot == nil, let value else { return false }
        slot = value
        return true
    }

    /// Reads an array, each element by `element`; nil when the array or an element fails.
    mutating func array<Element>(_ element: (inout Self) -> Element?) -> [Element]? {
        skipWhitespace()
        guard take(UInt8(ascii: "[")) else { return nil }
        var elements: [Element] = []
        skipWhitespace()
        if take(UInt8(ascii: "]")) { return elements }
        repeat {
            guard let next = element(&self) else { return nil }
            elements.append(next)
            skipWhitespace()
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]")) ? elements : nil
    }

    /// Reads an object, handing each key to `field`, which reads its value; false when either fails.
    mutating func object(_ field: (inout Self, String) -> Bool) -> Bool {
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
    mutating func optionalString() -> String?? { optional { $0.string() } }

    /// A value read by `value`, or `.some(nil)` for `null`; nil when `value` fails.
    mutating func optional<Value>(_ value: (inout Self) -> Value?) -> Value?? {
        skipWhitespace()
        if literal("null") { return .some(nil) }
        return value(&self).map { .some($0) }
    }

    /// A string with no escapes but `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t` and `\u` outside the
    /// surrogates, in valid UTF-8 without control characters; nil for anything else.
    mutating func string() -> String? {
        skipWhitespace()
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        var high: UInt8 = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = Self.text(UnsafeRawBufferPointer(rebasing: bytes[start..<index]), isASCII: high < 0x80)
                index += 1
                return text
            }
            high |= byte
            if byte == UInt8(ascii: "\\") { return escapedString(from: start) }
            if byte < 0x20 { return nil }
            index += 1
        }
        return nil
    }

    /// `utf8` as a string; nil when it is not UTF-8. ASCII, most of an answer's text, is taken without
    /// the generic validation, whose type lookups at run time cost more than the check.
    private static func text(_ utf8: UnsafeRawBufferPointer, isASCII: Bool) -> String? {
        guard isASCII else { return String(validating: utf8, as: UTF8.self) }
        return String(decoding: utf8.assumingMemoryBound(to: UInt8.self), as: UTF8.self)
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
