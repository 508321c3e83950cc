import Foundation
import GRDB

/// How the SQLite store keeps a contact id: a canonical lower-case UUID (what the API returns) as its 16
/// bytes, anything else as text; the journal and the source index hold one per record, so this halves
/// them.
enum ContactIDColumn {
    /// The value to store for `id`.
    static func value(_ id: String?) -> (any DatabaseValueConvertible)? {
        guard let id else { return nil }
        guard id.utf8.count == 36, id == id.lowercased(), let uuid = UUID(uuidString: id) else { return id }
        return withUnsafeBytes(of: uuid.uuid) { Data($0) }
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
