import Foundation
import HatifImport

/// Feeds one fuzz input to a reader: writes it to a scratch file (the readers read files) and reads every
/// record and reject. Any crash, hang or sanitizer report is a finding; errors are fine.
public enum ReaderFuzzing {
    private static let scratch = FileManager.default.temporaryDirectory.appending(path: "hatif-fuzz-\(getpid())").path

    /// Reads `bytes` as `format` with small caps, so the fuzzer reaches the capping paths.
    public static func read(_ bytes: UnsafeRawBufferPointer, format: InputFormat) {
        let path = scratch + "." + format.rawValue
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { return }
        readAll(path, format: format)
    }

    /// Packs `bytes` into a workbook (up to the first NUL: the sheet's XML; after it: the shared strings')
    /// and reads it, the shared strings' budget small so that they spill.
    public static func readWorkbook(_ bytes: UnsafeRawBufferPointer) {
        let split = bytes.firstIndex(of: 0) ?? bytes.count
        let sheet = Array(bytes[..<split])
        let strings = split < bytes.count ? Array(bytes[(split + 1)...]) : []
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let archive = StoredZip.make([
            ("_rels/.rels", Array("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"\(relations)/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>".utf8)),
            ("xl/workbook.xml", Array("<workbook xmlns=\"\(main)\" xmlns:r=\"\(relations)\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>".utf8)),
            ("xl/_rels/workbook.xml.rels", Array("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"\(relations)/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"\(relations)/sharedStrings\" Target=\"sharedStrings.xml\"/><Relationship Id=\"rId3\" Type=\"\(relations)/styles\" Target=\"styles.xml\"/></Relationships>".utf8)),
            ("xl/styles.xml", Array("<styleSheet xmlns=\"\(main)\"><numFmts><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/></numFmts><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/></cellXfs></styleSheet>".utf8)),
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/sharedStrings.xml", strings),
        ])
        let path = scratch + ".xlsx"
        guard FileManager.default.createFile(atPath: path, contents: Data(archive)) else { return }
        readAll(path, format: .xlsx)
    }

    /// Writes `bytes` as a .zip and reads every entry the catalog lists, then the same bytes as a workbook.
    public static func readArchive(_ bytes: UnsafeRawBufferPointer) {
        let path = scratch + ".zip"
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { return }
        if let expansion = try? InputCatalog.expand([path]) {
            for input in expansion.inputs { readAll(input, format: nil) }
        }
        readAll(path, format: .xlsx)
    }

    private static func readAll(_ path: String, format: InputFormat?) {
        var options = ReaderOptions(format: format)
        options.xlsx.sharedStringsBudget = 256
        options.csv.maxFieldBytes = 4096
        options.vcard.maxValueBytes = 4096
        options.xml.maxValueBytes = 4096
        do {
            var reader = try options.open(path)
            var count = 0
            while let item = try reader.next() {
                count += 1
                if case .record(let record) = item { _ = record.fieldValues.reduce(0) { $0 + $1.utf8.count } }
                if count > 100_000 { break }
            }
        } catch {
            _ = "\(error)"  // descriptions must not crash either
        }
    }
}

/// A zip archive of stored (uncompressed) entries, built in memory for the workbook fuzzer.
enum StoredZip {
    static func make(_ entries: [(name: String, bytes: [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        var directory: [UInt8] = []
        func put16(_ value: Int, _ bytes: inout [UInt8]) { bytes += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
        func put32(_ value: UInt32, _ bytes: inout [UInt8]) {
            put16(Int(value & 0xFFFF), &bytes)
            put16(Int(value >> 16), &bytes)
        }
        for (name, bytes) in entries {
            let crc = crc32(bytes)
            let offset = UInt32(out.count)
            let nameBytes = Array(name.utf8)
            put32(0x0403_4B50, &out)
            put16(20, &out); put16(0, &out); put16(0, &out); put32(0, &out)
            put32(crc, &out); put32(UInt32(bytes.count), &out); put32(UInt32(bytes.count), &out)
            put16(nameBytes.count, &out); put16(0, &out)
            out += nameBytes + bytes
            put32(0x0201_4B50, &directory)
            put16(20, &directory); put16(20, &directory); put16(0, &directory); put16(0, &directory); put32(0, &directory)
            put32(crc, &directory); put32(UInt32(bytes.count), &directory); put32(UInt32(bytes.count), &directory)
            put16(nameBytes.count, &directory); put16(0, &directory); put16(0, &directory); put16(0, &directory); put16(0, &directory)
            put32(0, &directory); put32(offset, &directory)
            directory += nameBytes
        }
        let start = UInt32(out.count)
        out += directory
        put32(0x0605_4B50, &out)
        put32(0, &out)
        put16(entries.count, &out); put16(entries.count, &out)
        put32(UInt32(directory.count), &out); put32(start, &out); put16(0, &out)
        return out
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
