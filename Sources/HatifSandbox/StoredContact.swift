import Foundation
import HatifAPI

/// A contact as the sandbox keeps it: standard fields plus property values by property id.
struct StoredContact: Sendable {
    var id: String
    /// Position in creation order; equal to sorting by CreationTime then Id, since times strictly increase.
    var sequence: Int
    var firstName: String?
    var lastName: String?
    var phoneNumber: String?
    var email: String?
    var values: [String: String]
    var creationTime: Date
    var lastModificationTime: Date?

    /// The standard fields by their contract names, for history and search.
    var standardFields: [(String, String?)] {
        [("FirstName", firstName), ("LastName", lastName), ("PhoneNumber", phoneNumber), ("Email", email)]
    }
}
