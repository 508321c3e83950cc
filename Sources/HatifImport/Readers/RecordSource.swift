/// The one read loop of `validate`, the dry run and the run: the run's files, in order, from a position,
/// as windows of at most `windowSize` items. A window never spans two files, so each window's `next` is
/// a byte position in one file (or the start of the next).
struct RecordSource {
    private let files: [String]
    private let options: ReaderOptions
    private let windowSize: Int
    private var fileIndex: Int
    private var start: ReadPosition?
    private var cursor: RecordCursor?

    /// Reads `files` from `position` with `options`.
    init(files: [String], options: ReaderOptions, windowSize: Int, from position: RunPosition = .start) {
        self.files = files
        self.options = options
        self.windowSize = max(1, windowSize)
        self.fileIndex = position.fileIndex
        self.start = position.position
    }

    /// The next window; nil after the last file.
    mutating func nextWindow() throws(ReaderError) -> RecordWindow? {
        while fileIndex < files.count {
            if cursor == nil {
                cursor = RecordCursor(reader: try options.open(files[fileIndex], startAt: start), path: files[fileIndex])
                start = nil
            }
            var items: [(id: RecordID, item: ReadItem)] = []
            items.reserveCapacity(windowSize)
            while items.count < windowSize, let item = cursor?.advance() {
                items.append((RecordID(fileIndex: fileIndex, ordinal: item.ordinal), item))
            }
            if let upcoming = cursor?.upcoming {
                let position = ReadPosition(byteOffset: upcoming.location.byteOffset, line: upcoming.location.line, ordinal: upcoming.ordinal)
                return RecordWindow(items: items, next: RunPosition(fileIndex: fileIndex, position: position))
            }
            cursor = nil
            fileIndex += 1
            if !items.isEmpty { return RecordWindow(items: items, next: RunPosition(fileIndex: fileIndex)) }
        }
        return nil
    }

    /// Every item before `position`, for a resumed run to learn what it had read (its in-file duplicates).
    static func forEachItem(
        files: [String], options: ReaderOptions, before position: RunPosition, _ body: (RecordID, ReadItem) throws -> Void
    ) throws {
        var source = RecordSource(files: files, options: options, windowSize: 4_096)
        while let window = try source.nextWindow() {
            for (id, item) in window.items {
                guard id.fileIndex < position.fileIndex || (id.fileIndex == position.fileIndex && id.ordinal < (position.position?.ordinal ?? 1)) else { return }
                try body(id, item)
            }
        }
    }
}
