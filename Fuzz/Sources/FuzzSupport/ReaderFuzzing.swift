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
        var options = ReaderOptions(format: format)
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
