import Foundation
import GRDB

/// How the SQLite store keeps a contact id: a canonical lower-case UUID (what the API returns) as its 16
/// bytes, anything else as text; the journal and the source index hold one per record, so this halves
/// them.
enum ContactIDColumn {
    /// The value to store for `id`.
    static func value(_ id: String?) -> (any DatabaseValueConvertible)? {
        guard let id else { return nil }
        return canonicalUUIDBytes(id) ?? id
    }

    /// The 16 bytes of `id` when it is a UUID in the canonical lower-case form, the one form that reads
    /// back as the same text; otherwise nil.
    ///
    /// Not `UUID(uuidString:)`: it reads each group with `sscanf`'s `%x`, which also takes a sign, a
    /// space or `0x` (`0x345678-…` would come back as `00345678-…`, another contact), and its `sscanf`
    /// was 1.6% of an import's CPU.
    static func canonicalUUIDBytes(_ id: String) -> Data? {
        var id = id
        return id.withUTF8 { text -> Data? in
            guard text.count == 36 else { return nil }
            var bytes = [UInt8](repeating: 0, count: 16)
            var index = 0
            var high: UInt8? = nil
            for (offset, byte) in text.enumerated() {
                if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                    guard byte == UInt8(ascii: "-") else { return nil }
                    continue
                }
                let nibble: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte &- UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte &- UInt8(ascii: "a") &+ 10
                default: return nil
                }
                if let first = high {
                    bytes[index] = first << 4 | nibble
                    index += 1
                    high = nil
                } else {
                    high = nibble
                }
            }
            return Data(bytes)
        }
    }

    /// The id a stored value stands for.
    static func id(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .blob(let data) where data.count == 16:
            let bytes = [UInt8](data)
            let uuid = UUID(
                uuid: (
                    bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10], bytes[11],
                    bytes[12], bytes[13], bytes[14], bytes[15]
                ))
            return uuid.uuidString.lowercased()
        case .string(let text): return text
        default: return nil
        }
    }
}
