import Foundation
import GRDB
import Testing

@testable import HatifImport

@Suite("Contact ids in the SQLite store: canonical UUIDs as 16 bytes, everything else as text")
struct ContactIDColumnTests {
    /// The id the store reads back for what it wrote for `id`.
    private func roundTrip(_ id: String) -> String? {
        ContactIDColumn.id(ContactIDColumn.value(id)?.databaseValue ?? .null)
    }

    @Test("a canonical lower-case UUID is stored as its 16 bytes and reads back as the same text")
    func canonicalUUIDsAreBytes() {
        for _ in 0..<10_000 {
            let uuid = UUID()
            let id = uuid.uuidString.lowercased()
            let stored = ContactIDColumn.value(id)?.databaseValue
            #expect(stored == withUnsafeBytes(of: uuid.uuid) { Data($0) }.databaseValue)
            #expect(roundTrip(id) == id)
        }
    }

    @Test(
        "an id that is not a canonical lower-case UUID is kept as text and reads back unchanged",
        arguments: [
            "0x345678-1234-1234-1234-123456789abc",  // sscanf's %x took the 0x: read back as 00345678-…
            "+2345678-1234-1234-1234-123456789abc",
            " 2345678-1234-1234-1234-123456789abc",
            "12345678-1234-1234-1234-123456789ABC",
            "12345678-1234-1234-1234-123456789ab",
            "12345678-1234-1234-1234-123456789abcd",
            "123456781-234-1234-1234-123456789abc",
            "12345678-1234-1234-1234-123456789abg",
            "12345678_1234_1234_1234_123456789abc",
            "12345678-1234-1234-1234-12345678é9a",
            "c_123", "",
        ])
    func otherIdsAreText(id: String) {
        #expect(ContactIDColumn.value(id)?.databaseValue == id.databaseValue)
        #expect(roundTrip(id) == id)
    }
}
