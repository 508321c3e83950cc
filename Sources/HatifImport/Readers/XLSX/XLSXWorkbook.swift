/// What a workbook says about itself before its sheets are read: its sheets (name, part), the date
/// system (1900 or 1904), which cell styles show dates, and where its shared strings are.
struct XLSXWorkbook {
    /// One sheet, in workbook order.
    struct Sheet: Equatable {
        var name: String
        /// Its part in the package (`xl/worksheets/sheet1.xml`).
        var part: String
    }

    let sheets: [Sheet]
    /// Whether serial dates count from 1904-01-01 (old Mac workbooks) instead of 1899-12-30.
    let uses1904: Bool
    /// For each cell style (the `s` attribute), whether its number format shows a date or time.
    let dateStyles: [Bool]
    /// The shared strings part, if any.
    let sharedStringsPart: String?

    /// Reads the workbook's parts from `archive`.
    init(archive: ZipArchive, label: String) throws(ReaderError) {
        func stream(_ part: String) throws(ReaderError) -> ByteStream? {
            guard let entry = archive.entry(named: part) else { return nil }
            return try archive.entryStream(entry)
        }
        func parse(_ part: String, _ handler: XLSXPartHandler) throws(ReaderError) -> Bool {
            guard let source = try stream(part) else { return false }
            try XLSXPartParser(stream: source, label: "\(label)!\(part)", handler: handler).parseAll()
            return true
        }
        // The package's relationships name the workbook part.
        let packageRelations = RelationshipsHandler()
        _ = try parse("_rels/.rels", packageRelations)
        let workbookPart = packageRelations.target(ofType: "/officeDocument", base: "") ?? "xl/workbook.xml"
        let workbook = WorkbookHandler()
        guard try parse(workbookPart, workbook) else {
            throw .badArchive(path: label, reason: "it is a zip archive but not a workbook (no \(workbookPart)); name an archive of exports .zip to read its files")
        }
        let folder = workbookPart.split(separator: "/").dropLast().joined(separator: "/")
        let relationsPart = (folder.isEmpty ? "" : folder + "/") + "_rels/" + (workbookPart.split(separator: "/").last.map(String.init) ?? "") + ".rels"
        let relations = RelationshipsHandler()
        _ = try parse(relationsPart, relations)
        sheets = workbook.sheets.compactMap { sheet in
            relations.targets[sheet.relation].map { Sheet(name: sheet.name, part: RelationshipsHandler.resolve($0, base: folder)) }
        }
        uses1904 = workbook.uses1904
        let styles = StylesHandler()
        if let stylesPart = relations.target(ofType: "/styles", base: folder) { _ = try parse(stylesPart, styles) }
        dateStyles = styles.cellFormats.map { styles.isDate(format: $0) }
        sharedStringsPart = relations.target(ofType: "/sharedStrings", base: folder)
    }
}

/// `workbook.xml`: the sheets and the date system.
private final class WorkbookHandler: XLSXPartHandler {
    var sheets: [(name: String, relation: String)] = []
    var uses1904 = false

    func startElement(_ name: UnsafePointer<UInt8>, attributes: XLSXAttributes) {
        if XLSXAttributes.equal(name, "sheet") {
            sheets.append((attributes.string("name") ?? "Sheet\(sheets.count + 1)", attributes.string("id") ?? ""))
        } else if XLSXAttributes.equal(name, "workbookPr") {
            let value = attributes.string("date1904")?.lowercased()
            uses1904 = value == "1" || value == "true"
        }
    }

    func endElement(_ name: UnsafePointer<UInt8>) {}
    func characters(_ bytes: UnsafeBufferPointer<UInt8>) {}
}

/// A `.rels` part: relationship targets by id and by type.
private final class RelationshipsHandler: XLSXPartHandler {
    var targets: [String: String] = [:]
    var types: [(type: String, target: String)] = []

    func startElement(_ name: UnsafePointer<UInt8>, attributes: XLSXAttributes) {
        guard XLSXAttributes.equal(name, "Relationship"), let target = attributes.string("Target") else { return }
        if let id = attributes.string("Id") { targets[id] = target }
        types.append((attributes.string("Type") ?? "", target))
    }

    func endElement(_ name: UnsafePointer<UInt8>) {}
    func characters(_ bytes: UnsafeBufferPointer<UInt8>) {}

    /// The part of the first relationship whose type ends with `suffix`, resolved against `base`.
    func target(ofType suffix: String, base: String) -> String? {
        types.first { $0.type.hasSuffix(suffix) }.map { Self.resolve($0.target, base: base) }
    }

    /// A target as a part name: absolute (`/xl/…`) or relative to `base`, with `..` resolved.
    static func resolve(_ target: String, base: String) -> String {
        var parts = target.hasPrefix("/") ? [] : base.split(separator: "/").map(String.init)
        for part in target.split(separator: "/") {
            if part == ".." { _ = parts.popLast() } else if part != "." { parts.append(String(part)) }
        }
        return parts.joined(separator: "/")
    }
}

/// `styles.xml`: each cell style's number format, and the workbook's own formats.
private final class StylesHandler: XLSXPartHandler {
    var cellFormats: [Int] = []
    var customFormats: [Int: String] = [:]
    private var inCellFormats = false

    func startElement(_ name: UnsafePointer<UInt8>, attributes: XLSXAttributes) {
        if XLSXAttributes.equal(name, "cellXfs") {
            inCellFormats = true
        } else if inCellFormats && XLSXAttributes.equal(name, "xf") {
            cellFormats.append(attributes.integer("numFmtId") ?? 0)
        } else if XLSXAttributes.equal(name, "numFmt"), let id = attributes.integer("numFmtId") {
            customFormats[id] = attributes.string("formatCode") ?? ""
        }
    }

    func endElement(_ name: UnsafePointer<UInt8>) {
        if XLSXAttributes.equal(name, "cellXfs") { inCellFormats = false }
    }

    func characters(_ bytes: UnsafeBufferPointer<UInt8>) {}

    /// Whether number format `id` shows a date or a time: one of the built-in date formats, or a format
    /// code with a day, month, year, hour or second outside quotes, escapes and brackets (`[Red]`), or an
    /// elapsed-time bracket (`[h]`).
    func isDate(format id: Int) -> Bool {
        if let code = customFormats[id] { return Self.isDateCode(code) }
        return (14...22).contains(id) || (27...36).contains(id) || (45...47).contains(id) || (50...58).contains(id) || (71...81).contains(id)
    }

    static func isDateCode(_ code: String) -> Bool {
        // Only the first section (positive numbers) counts.
        var quoted = false
        var bracket: [Character]?
        var previous: Character = " "
        for character in code {
            if let open = bracket {
                if character == "]" {
                    let inside = String(open).lowercased()
                    if inside.allSatisfy({ "hms".contains($0) }) && !inside.isEmpty { return true }
                    bracket = nil
                } else {
                    bracket = open + [character]
                }
                continue
            }
            if quoted {
                if character == "\"" { quoted = false }
                continue
            }
            if previous == "\\" || previous == "_" || previous == "*" {
                previous = " "
                continue
            }
            switch character {
            case "\"": quoted = true
            case "[": bracket = []
            case ";": return false
            case "d", "D", "m", "M", "y", "Y", "h", "H", "s", "S": return true
            default: break
            }
            previous = character
        }
        return false
    }
}
