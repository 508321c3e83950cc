/// What the reader does with a property, told once from its name when the line is parsed: the lines of
/// a card are many and the names few, and comparing each name against every special one cost more than
/// the rest of the line.
enum VCardPropertyKind: Equatable {
    case begin, end, version
    /// A structured value split into named components (`N`, `ADR`, `ORG`, `GENDER`): see
    /// ``componentNames(of:)``.
    case structured
    /// A comma-separated list (`CATEGORIES`, `NICKNAME`).
    case list
    /// A property that may carry inline binary data (`PHOTO`, `LOGO`, `SOUND`, `KEY`).
    case binary
    case telephone
    /// A date whose year is Apple's stand-in for none (``VCardContentLine/omittedYear``).
    case yearOmitted
    case other

    private static let nameComponents = ["N.family", "N.given", "N.additional", "N.prefix", "N.suffix"]
    private static let addressComponents = [
        "ADR.pobox", "ADR.extended", "ADR.street", "ADR.locality", "ADR.region", "ADR.postalCode", "ADR.country",
    ]
    private static let organizationComponents = ["ORG", "ORG.unit", "ORG.unit2", "ORG.unit3"]
    private static let genderComponents = ["GENDER.sex", "GENDER.identity"]

    /// The field names of a structured property's components, in order.
    static func componentNames(of name: String) -> [String] {
        switch name {
        case "N": nameComponents
        case "ADR": addressComponents
        case "ORG": organizationComponents
        case "GENDER": genderComponents
        default: []
        }
    }

    /// The kind of the property named `name` (upper-cased): its length and first letter pick the one
    /// name it can be, so most names are told apart without comparing strings.
    init(_ name: String) {
        let utf8 = name.utf8
        guard let first = utf8.first else {
            self = .other
            return
        }
        func when(_ candidate: String, _ kind: VCardPropertyKind) -> VCardPropertyKind { name == candidate ? kind : .other }
        switch (utf8.count, first) {
        case (5, UInt8(ascii: "B")): self = when("BEGIN", .begin)
        case (3, UInt8(ascii: "E")): self = when("END", .end)
        case (7, UInt8(ascii: "V")): self = when("VERSION", .version)
        case (1, UInt8(ascii: "N")): self = .structured
        case (3, UInt8(ascii: "A")): self = when("ADR", .structured)
        case (3, UInt8(ascii: "O")): self = when("ORG", .structured)
        case (6, UInt8(ascii: "G")): self = when("GENDER", .structured)
        case (10, UInt8(ascii: "C")): self = when("CATEGORIES", .list)
        case (8, UInt8(ascii: "N")): self = when("NICKNAME", .list)
        case (5, UInt8(ascii: "P")): self = when("PHOTO", .binary)
        case (4, UInt8(ascii: "L")): self = when("LOGO", .binary)
        case (5, UInt8(ascii: "S")): self = when("SOUND", .binary)
        case (3, UInt8(ascii: "K")): self = when("KEY", .binary)
        case (3, UInt8(ascii: "T")): self = when("TEL", .telephone)
        default: self = .other
        }
    }
}
