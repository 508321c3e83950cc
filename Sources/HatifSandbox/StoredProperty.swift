import Foundation
import HatifAPI

/// A contact property as the sandbox keeps it.
struct StoredProperty: Sendable {
    var id: String
    var name: String
    var displayName: String
    var type: ContactPropertyType
    var options: [String]
    var isSystem: Bool
    var creationTime: Date

    var dto: ContactPropertyDto {
        ContactPropertyDto(
            id: id, name: name, displayName: displayName, _type: type, options: options, isSystem: isSystem,
            creationTime: creationTime)
    }

    init(dto: ContactPropertyDto) {
        self.init(
            id: dto.id, name: dto.name, displayName: dto.displayName, type: dto._type, options: dto.options,
            isSystem: dto.isSystem, creationTime: dto.creationTime)
    }

    init(
        id: String, name: String, displayName: String, type: ContactPropertyType, options: [String], isSystem: Bool,
        creationTime: Date
    ) {
        self.id = id
        self.name = name
        self.displayName = displayName
        self.type = type
        self.options = options
        self.isSystem = isSystem
        self.creationTime = creationTime
    }
}
