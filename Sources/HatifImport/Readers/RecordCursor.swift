/// Reads one file item by item for the pipeline, one item ahead: the item after a window is where the
/// next window, and a resume, start.
///
/// A read error after the file was opened (a malformed XML document, a read failure) becomes a reject in
/// place of the rest of the file, naming where and why; the file ends there, and every record read
/// before it is still imported.
struct RecordCursor {
    private var reader: OpenedReader?
    private let path: String
    /// The item the next ``advance()`` returns; nil at the end of the file.
    private(set) var upcoming: ReadItem?
    private var ended = false

    /// Opens the cursor on a reader and reads its first item.
    init(reader: OpenedReader, path: String) {
        self.reader = reader
        self.path = path
        upcoming = nil
        upcoming = read(after: nil)
    }

    /// What the reader passed over at the end of the file, once ``upcoming`` is nil.
    var endNotices: [String] { reader?.endNotices ?? [] }

    /// The upcoming item, reading the one after it.
    mutating func advance() -> ReadItem? {
        let current = upcoming.take()
        upcoming = current == nil ? nil : read(after: current)
        return current
    }

    /// A cursor over an input that could not be opened: one reject saying why.
    init(failure: ReaderError, path: String) {
        reader = nil
        self.path = path
        upcoming = .reject(
            SourceReject(ordinal: 1, location: SourceLocation(file: path, line: 1, byteOffset: 0), reason: "\(failure.rejectReason(in: path)) Nothing of it was read."))
        ended = true
    }

    private mutating func read(after previous: ReadItem?) -> ReadItem? {
        guard !ended else { return nil }
        do {
            return try reader?.next()
        } catch {
            ended = true
            return Self.rest(lostTo: error, after: previous, path: path)
        }
    }

    /// The reject that stands for the rest of a file a read error cut off after `previous` (nil: before
    /// the first item): at the error's line when it names one, else where `previous` was.
    static func rest(lostTo error: ReaderError, after previous: ReadItem?, path: String) -> ReadItem {
        let ordinal = (previous?.ordinal ?? 0) + 1
        var location = previous?.location ?? SourceLocation(file: path, line: 1, byteOffset: 0)
        if case .malformedXML(_, let line, _, _) = error { location.line = line }
        return .reject(SourceReject(ordinal: ordinal, location: location, reason: "\(error.rejectReason(in: path)) Nothing after this point of the file was read."))
    }
}
