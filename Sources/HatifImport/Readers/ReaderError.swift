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
    /// An archive or compressed input was refused or is broken: over a size or ratio cap (a zip bomb),
    /// encrypted, compressed in an unsupported way, truncated or corrupt.
    case badArchive(path: String, reason: String)
    /// A stream (standard input, an inflating reader) was asked for bytes it has already passed.
    case notRewindable(path: String, reason: String)
    /// A resumed run's standard input does not start with the records the interrupted run committed.
    case streamChanged(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "Cannot open \(path): \(reason)."
        case .readFailed(let path, let reason): "Reading \(path) failed: \(reason)."
        case .unknownFormat(let path):
            "Cannot tell the format of \(path): name it .csv, .vcf, .xml or .xlsx (optionally .gz), or pass --format."
        case .invalidOptions(let path, let reason): "\(path): \(reason)."
        case .malformedXML(let path, let line, let column, let message):
            "\(path):\(line):\(column): malformed XML: \(message). Records before this point were read."
        case .notText(let path, let reason): "\(path) is not a text file: \(reason)."
        case .badArchive(let path, let reason): "\(path): \(reason)."
        case .notRewindable(let path, let reason): "\(path) cannot be read again: \(reason)."
        case .streamChanged(let path, let reason):
            "\(path): \(reason). Feed the same stream to resume, or pass --restart to start over."
        }
    }

    /// The error as the reason of the reject in `file` that stands for what it kept from being read: the
    /// reject names its file and line itself, so the path is said only when it is another (an archive's
    /// entry, say).
    func rejectReason(in file: String) -> String {
        let (path, reason): (String, String) =
            switch self {
            case .cannotOpen(let path, let reason): (path, "cannot open it: \(reason).")
            case .readFailed(let path, let reason): (path, "reading failed: \(reason).")
            case .unknownFormat(let path): (path, "its format cannot be told: name it .csv, .vcf, .xml or .xlsx (optionally .gz), or pass --format.")
            case .invalidOptions(let path, let reason), .badArchive(let path, let reason): (path, "\(reason).")
            case .malformedXML(let path, let line, let column, let message): (path, "malformed XML at line \(line), column \(column): \(message).")
            case .notText(let path, let reason): (path, "not a text file: \(reason).")
            case .notRewindable(let path, let reason): (path, "it cannot be read again: \(reason).")
            case .streamChanged(let path, let reason): (path, "\(reason). Feed the same stream to resume, or pass --restart to start over.")
            }
        return path == file ? reason : "\(path): \(reason)"
    }
}
