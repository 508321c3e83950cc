/// Why an input file could not be read at all (a broken record is a ``SourceReject`` instead).
public enum ReaderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file does not exist, is not readable, or is a folder.
    case cannotOpen(path: String, reason: String)
    /// Reading failed part-way.
    case readFailed(path: String, reason: String)
    /// The file's format could not be told from its name or content.
    case unknownFormat(path: String)
    /// The options do not fit the file (e.g. a header line past the end).
    case invalidOptions(path: String, reason: String)
    /// An XML document is broken; records before the error were read.
    case malformedXML(path: String, line: Int, column: Int, message: String)
    /// The file does not look like text of the expected format (e.g. a binary file given as CSV).
    case notText(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "Cannot open \(path): \(reason)."
        case .readFailed(let path, let reason): "Reading \(path) failed: \(reason)."
        case .unknownFormat(let path):
            "Cannot tell the format of \(path): name it .csv, .vcf or .xml, or pass --format."
        case .invalidOptions(let path, let reason): "\(path): \(reason)."
        case .malformedXML(let path, let line, let column, let message):
            "\(path):\(line):\(column): malformed XML: \(message). Records before this point were read."
        case .notText(let path, let reason): "\(path) is not a text file: \(reason)."
        }
    }
}
