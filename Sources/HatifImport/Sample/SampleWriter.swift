import Foundation

/// Writes synthetic contacts as CSV (Google, Outlook or plain columns), vCard (mostly 3.0, with 2.1
/// quoted-printable and 4.0 cards mixed in) or XML.
public struct SampleWriter {
    private let format: SampleFormat
    private let dialect: SampleDialect
    private let output: BufferedWriter

    /// Creates a writer into `output`.
    public init(format: SampleFormat, dialect: SampleDialect = .plain, output: BufferedWriter) {
        self.format = format
        self.dialect = dialect
        self.output = output
    }

    /// Writes `count` contacts made by `generator`.
    public func write(count: Int, generator: SampleGenerator) throws(WriterError) {
        if format == .xlsx { return try writeWorkbook(count: count, generator: generator) }
        try writeHeader()
        for index in 0..<count { try write(generator.contact(index)) }
        try writeFooter()
        try output.flush()
    }

    static let googleColumns = [
        "First Name", "Middle Name", "Last Name", "Phonetic First Name", "Phonetic Middle Name", "Phonetic Last Name",
        "Name Prefix", "Name Suffix", "Nickname", "File As", "Organization Name", "Organization Title",
        "Organization Department", "Birthday", "Notes", "Photo", "Labels", "E-mail 1 - Label", "E-mail 1 - Value",
        "Phone 1 - Label", "Phone 1 - Value", "Phone 2 - Label", "Phone 2 - Value", "Address 1 - Label",
        "Address 1 - Formatted", "Address 1 - Street", "Address 1 - City", "Address 1 - PO Box", "Address 1 - Region",
        "Address 1 - Postal Code", "Address 1 - Country", "Address 1 - Extended Address", "Custom Field 1 - Label",
        "Custom Field 1 - Value",
    ]

    static let outlookColumns = [
        "First Name", "Middle Name", "Last Name", "Title", "Suffix", "Nickname", "Given Yomi", "Surname Yomi",
        "E-mail Address", "E-mail 2 Address", "E-mail 3 Address", "Home Phone", "Home Phone 2", "Business Phone",
        "Business Phone 2", "Mobile Phone", "Car Phone", "Other Phone", "Primary Phone", "Pager", "Business Fax",
        "Home Fax", "Other Fax", "Company Main Phone", "Callback", "Radio Phone", "Telex", "TTY/TDD Phone", "IMAddress",
        "Job Title", "Department", "Company", "Office Location", "Manager's Name", "Assistant's Name",
        "Assistant's Phone", "Company Yomi", "Business Street", "Business City", "Business State",
        "Business Postal Code", "Business Country/Region", "Home Street", "Home City", "Home State", "Home Postal Code",
        "Home Country/Region", "Other Street", "Other City", "Other State", "Other Postal Code", "Other Country/Region",
        "Personal Web Page", "Spouse", "Schools", "Hobby", "Location", "Web Page", "Birthday", "Notes",
    ]

    static let plainColumns = [
        "id", "first_name", "last_name", "phone", "phone_2", "email", "company", "job_title", "city", "country",
        "birthday", "loyalty_tier", "score", "vip", "notes",
    ]

    private func writeHeader() throws(WriterError) {
        switch format {
        case .csv:
            switch dialect {
            case .google: try csvRow(Self.googleColumns)
            case .outlook: try csvRow(Self.outlookColumns)
            case .plain: try csvRow(Self.plainColumns)
            }
        case .xml:
            try output.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<export source=\"hatif-import sample\">\n  <contacts>\n")
        case .vcf, .xlsx:
            break
        }
    }

    private func writeFooter() throws(WriterError) {
        if format == .xml { try output.write("  </contacts>\n</export>\n") }
    }

    private func write(_ contact: SyntheticContact) throws(WriterError) {
        switch format {
        case .csv: try csvRow(csvValues(contact))
        case .vcf: try output.write(vCard(contact))
        case .xml: try output.write(xml(contact))
        case .xlsx: break
        }
    }

    // MARK: XLSX

    /// A workbook of one sheet, "Contacts", with the CSV's columns: text as inline strings, the id and
    /// score as numbers, birthdays as serial dates in a date style, as Excel stores them.
    private func writeWorkbook(count: Int, generator: SampleGenerator) throws(WriterError) {
        let zip = ZipWriter(output: output)
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let packageRelations = "http://schemas.openxmlformats.org/package/2006/relationships"
        try zip.begin("[Content_Types].xml")
        try zip.write(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
                + "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
                + "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/></Types>")
        try zip.begin("_rels/.rels")
        try zip.write(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"\(packageRelations)\">"
                + "<Relationship Id=\"rId1\" Type=\"\(relations)/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>")
        try zip.begin("xl/workbook.xml")
        try zip.write(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<workbook xmlns=\"\(main)\" xmlns:r=\"\(relations)\">"
                + "<sheets><sheet name=\"Contacts\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>")
        try zip.begin("xl/_rels/workbook.xml.rels")
        try zip.write(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"\(packageRelations)\">"
                + "<Relationship Id=\"rId1\" Type=\"\(relations)/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
                + "<Relationship Id=\"rId2\" Type=\"\(relations)/styles\" Target=\"styles.xml\"/></Relationships>")
        try zip.begin("xl/styles.xml")
        try zip.write(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<styleSheet xmlns=\"\(main)\">"
                + "<fonts count=\"1\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>"
                + "<fills count=\"1\"><fill><patternFill patternType=\"none\"/></fill></fills>"
                + "<borders count=\"1\"><border/></borders><cellStyleXfs count=\"1\"><xf/></cellStyleXfs>"
                + "<cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>")
        try zip.begin("xl/worksheets/sheet1.xml")
        try zip.write("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"\(main)\"><sheetData>")
        try zip.write(Self.sheetRow(1, Self.plainColumns.map { .text($0) }))
        for index in 0..<count {
            let contact = generator.contact(index)
            let values = csvValues(contact)
            var cells: [SheetCell] = values.map { .text($0) }
            cells[0] = .number(values[0])
            if !contact.score.isEmpty { cells[12] = .number(contact.score) }
            if let serial = Self.serialDate(contact.birthday) { cells[10] = .date(serial) }
            try zip.write(Self.sheetRow(index + 2, cells))
        }
        try zip.write("</sheetData></worksheet>")
        try zip.finish()
    }

    private enum SheetCell {
        case text(String), number(String), date(Int)
    }

    private static func sheetRow(_ number: Int, _ cells: [SheetCell]) -> String {
        var row = "<row r=\"\(number)\">"
        for (index, cell) in cells.enumerated() {
            let reference = XLSXSheetCollector.columnName(index) + String(number)
            switch cell {
            case .text(let value) where value.isEmpty: continue
            case .text(let value): row += "<c r=\"\(reference)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(xmlEscape(value))</t></is></c>"
            case .number(let value): row += "<c r=\"\(reference)\"><v>\(value)</v></c>"
            case .date(let serial): row += "<c r=\"\(reference)\" s=\"1\"><v>\(serial)</v></c>"
            }
        }
        return row + "</row>"
    }

    /// The 1900-system serial of a `YYYY-MM-DD` date, nil for anything else.
    static func serialDate(_ text: String) -> Int? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, parts[0] > 1900 else { return nil }
        let (year, month, day) = (parts[0] - (parts[1] <= 2 ? 1 : 0), parts[1], parts[2])
        let era = year / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468 + 25_569
    }

    // MARK: CSV

    private func csvValues(_ c: SyntheticContact) -> [String] {
        let mobile = c.phones.first?.number ?? ""
        let second = c.phones.count > 1 ? c.phones[1] : nil
        switch dialect {
        case .plain:
            return [
                "\(c.id)", c.firstName, c.lastName, mobile, second?.number ?? "", c.email, c.company, c.jobTitle, c.city,
                c.country, c.birthday, c.loyaltyTier, c.score, c.vip, c.notes,
            ]
        case .google:
            var row = [String](repeating: "", count: Self.googleColumns.count)
            row[0] = c.firstName
            row[2] = c.lastName
            row[9] = "\(c.firstName) \(c.lastName)"
            row[10] = c.company
            row[11] = c.jobTitle
            row[13] = c.birthday
            row[14] = c.notes
            row[16] = c.vip == "yes" ? "* myContacts ::: VIP" : "* myContacts"
            row[17] = c.email.isEmpty ? "" : "Home"
            row[18] = c.email
            row[19] = c.phones.isEmpty ? "" : "Mobile"
            row[20] = mobile
            row[21] = second.map { $0.kind == "work" ? "Work" : "Home" } ?? ""
            row[22] = second?.number ?? ""
            row[23] = "Home"
            row[24] = "\(c.city)\n\(c.country)"
            row[26] = c.city
            row[30] = c.country
            row[32] = c.loyaltyTier.isEmpty ? "" : "Loyalty tier"
            row[33] = c.loyaltyTier
            return row
        case .outlook:
            var row = [String](repeating: "", count: Self.outlookColumns.count)
            row[0] = c.firstName
            row[2] = c.lastName
            row[8] = c.email
            if let second { row[second.kind == "work" ? 13 : 11] = second.number }
            row[15] = mobile
            row[29] = c.jobTitle
            row[31] = c.company
            row[43] = c.city
            row[46] = c.country
            row[58] = c.birthday
            row[59] = c.notes
            return row
        }
    }

    private func csvRow(_ values: [String]) throws(WriterError) {
        var line = ""
        for (index, value) in values.enumerated() {
            if index > 0 { line.append(",") }
            line.append(Self.csvField(value))
        }
        line.append(dialect == .plain ? "\n" : "\r\n")
        try output.write(line)
    }

    /// A CSV field, quoted when it holds a comma, a quote, a line break or edge spaces.
    static func csvField(_ value: String) -> String {
        let needsQuotes = value.utf8.contains(where: RejectsFile.needsQuotes) || value.hasPrefix(" ") || value.hasSuffix(" ")
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: vCard

    private func vCard(_ c: SyntheticContact) -> String {
        let version = c.id % 10 == 0 ? "2.1" : (c.id % 10 == 1 ? "4.0" : "3.0")
        var lines = ["BEGIN:VCARD", "VERSION:\(version)"]
        if version == "2.1" {
            lines.append(Self.quotedPrintableLine("N", "\(c.lastName);\(c.firstName);;;"))
            lines.append(Self.quotedPrintableLine("FN", "\(c.firstName) \(c.lastName)"))
            for phone in c.phones { lines.append("TEL;\(phone.kind == "mobile" ? "CELL" : phone.kind.uppercased()):\(phone.number)") }
            if !c.email.isEmpty { lines.append("EMAIL;INTERNET:\(c.email)") }
            if !c.notes.isEmpty { lines.append(Self.quotedPrintableLine("NOTE", c.notes)) }
        } else {
            lines.append("N:\(VCardText.escape(c.lastName));\(VCardText.escape(c.firstName));;;")
            lines.append("FN:\(VCardText.escape("\(c.firstName) \(c.lastName)"))")
            for (index, phone) in c.phones.enumerated() {
                let type = phone.kind == "mobile" ? "CELL" : phone.kind.uppercased()
                if version == "4.0" {
                    lines.append("TEL;TYPE=\(type.lowercased())\(index == 0 ? ";PREF=1" : ""):\(phone.number)")
                } else {
                    lines.append("item\(index + 1).TEL;TYPE=\(type);TYPE=VOICE:\(phone.number)")
                    lines.append("item\(index + 1).X-ABLabel:\(phone.kind)")
                }
            }
            if !c.email.isEmpty { lines.append("EMAIL;TYPE=INTERNET:\(c.email)") }
            if !c.notes.isEmpty { lines.append("NOTE:\(VCardText.escape(c.notes))") }
        }
        if !c.company.isEmpty { lines.append("ORG:\(VCardText.escape(c.company))") }
        if !c.jobTitle.isEmpty { lines.append("TITLE:\(VCardText.escape(c.jobTitle))") }
        lines.append("ADR;TYPE=HOME:;;;\(VCardText.escape(c.city));;;\(VCardText.escape(c.country))")
        if !c.birthday.isEmpty { lines.append("BDAY:\(c.birthday)") }
        if !c.loyaltyTier.isEmpty { lines.append("X-LOYALTY-TIER:\(c.loyaltyTier)") }
        if !c.score.isEmpty { lines.append("X-SCORE:\(c.score)") }
        lines.append("X-VIP:\(c.vip)")
        lines.append("END:VCARD")
        return lines.map { version == "2.1" ? $0 : VCardText.fold($0) }.joined(separator: "\r\n") + "\r\n"
    }

    /// A 2.1 line with its value quoted-printable encoded (soft breaks at 76) when it is not plain ASCII.
    static func quotedPrintableLine(_ name: String, _ value: String) -> String {
        let bytes = Array(value.utf8)
        guard bytes.contains(where: { $0 >= 0x80 || $0 == 0x0A || $0 == 0x0D || $0 == 0x3D }) else { return "\(name):\(value)" }
        var line = "\(name);CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:"
        var length = line.utf8.count
        let hex = Array("0123456789ABCDEF".utf8)
        // One character's bytes stay on one line: some parsers (vobject) decode each line on its own.
        for character in value {
            var piece = ""
            for byte in String(character).utf8 {
                if byte >= 0x80 || byte == 0x0A || byte == 0x0D || byte == 0x3D || byte < 0x20 {
                    piece += String(decoding: [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]], as: UTF8.self)
                } else {
                    piece += String(UnicodeScalar(byte))
                }
            }
            if length + piece.utf8.count > 75 {
                line += "=\r\n"
                length = 0
            }
            line += piece
            length += piece.utf8.count
        }
        return line
    }

    // MARK: XML

    private func xml(_ c: SyntheticContact) -> String {
        var text = "    <contact id=\"\(c.id)\">\n"
        text += "      <firstName>\(Self.xmlEscape(c.firstName))</firstName>\n"
        text += "      <lastName>\(Self.xmlEscape(c.lastName))</lastName>\n"
        if !c.phones.isEmpty {
            text += "      <phones>\n"
            for phone in c.phones { text += "        <phone type=\"\(phone.kind)\">\(Self.xmlEscape(phone.number))</phone>\n" }
            text += "      </phones>\n"
        }
        text += "      <email>\(Self.xmlEscape(c.email))</email>\n"
        text += "      <company>\(Self.xmlEscape(c.company))</company>\n"
        text += "      <jobTitle>\(Self.xmlEscape(c.jobTitle))</jobTitle>\n"
        text += "      <address><city>\(Self.xmlEscape(c.city))</city><country>\(Self.xmlEscape(c.country))</country></address>\n"
        if !c.birthday.isEmpty { text += "      <birthday>\(c.birthday)</birthday>\n" }
        text += "      <loyalty tier=\"\(c.loyaltyTier)\" score=\"\(c.score)\" vip=\"\(c.vip)\"/>\n"
        if !c.notes.isEmpty { text += "      <note><![CDATA[\(c.notes.replacingOccurrences(of: "]]>", with: "]]]]><![CDATA[>"))]]></note>\n" }
        text += "    </contact>\n"
        return text
    }

    /// Escapes `&`, `<`, `>` and `"`.
    static func xmlEscape(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 }) else { return value }
        var result = ""
        for character in value {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
