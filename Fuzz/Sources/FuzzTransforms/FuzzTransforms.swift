import FuzzDriver
import FuzzSupport
import HatifImport

/// Every transform of the mapping file, each on its own column, with the phone and email rules.
let mapping = try? MappingFile.parse(
    """
    region: SA
    fields:
      - {source: a, target: FirstName, transforms: [trim, collapse-spaces, title, {split-name: first}]}
      - {source: b, target: LastName, transforms: [upper, lower, {split-name: last}, {default: x}]}
      - {source: c, target: PhoneNumber}
      - {source: d, target: PhoneNumber, transforms: [{phone: AE}]}
      - {source: e, target: Email, transforms: [email]}
      - {source: f, target: "property:when", transforms: [{date: [dd/MM/yyyy, MM/dd/yyyy, yyyy-MM-dd, d.M.yy, excel, iso, "--MM-dd"]}]}
      - {source: g, target: "property:amount", transforms: [number]}
      - {source: h, target: "property:amount2", transforms: [{number: {decimal: ",", thousands: "."}}]}
      - {source: i, target: "property:flag", transforms: [boolean]}
      - {source: j, target: "property:tier", transforms: [{map: {gold: Gold, silver: Silver}}]}
      - {source: k, target: "property:code", transforms: [{replace: {pattern: "([0-9]+)-([a-z]*)", with: "$2$1"}}]}
      - {source: [l, m], target: "property:joined", transforms: [{join: " / "}, trim]}
    properties:
      when: {type: Date}
      amount: {type: Number}
      amount2: {type: Number}
      flag: {type: Boolean}
      tier: {type: SingleSelect, options: [Gold, Silver]}
      code: {type: Text}
      joined: {type: Text}
    """)
let mapper = mapping.map(Mapper.init(mapping:))
let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m"]

/// libFuzzer entry: splits the input at 0x1F into the columns' values and maps the record.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let mapper else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var values = text.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
    while values.count < names.count { values.append(values.last ?? "") }
    let record = SourceRecord(
        ordinal: 1, location: SourceLocation(file: "fuzz", line: 1, byteOffset: 0), names: names, values: Array(values.prefix(names.count)))
    switch mapper.map(record) {
    case .success(let draft): _ = draft.contactInput
    case .failure(let reject): _ = reject.description
    }
    return 0
}
