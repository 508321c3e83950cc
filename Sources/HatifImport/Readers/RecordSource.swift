/// The one read loop of `validate`, the dry run and the run: the run's inputs, in order, as windows of at
/// most `windowSize` items. A window never spans two inputs, so each window's `next` is a position in one
/// input (or the start of the next).
///
/// An input that cannot be opened (a damaged archive, a missing sheet) becomes one reject naming why, and
/// the next input is read: the rest of the run is not lost to it.
///
/// A resumed run reads its inputs from the start again: the items before the checkpoint's position come
/// out of ``nextReplayed()`` (for the run to learn its in-file duplicates), then windows go on from the
/// position. Standard input is read once: a hash of the records read (``StreamPrefixHash``) rides in each
/// position, and the replay checks it before going on.
struct RecordSource {
    private let files: [String]
    private let options: ReaderOptions
    private let windowSize: Int
    private var fileIndex = 0
    private var cursor: RecordCursor?
    /// The hash of the current input's records so far, for an input read once.
    private var prefix: StreamPrefixHash?
    /// Where the replay of a resumed run ends; nil when there is none (or it ended).
    private var replayEnd: RunPosition?
    /// What the readers of the inputs opened so far noticed, each as `path: notice`, once.
    private(set) var notices: [String] = []

    /// Reads `files` from their start with `options`; `resumingAt` a position other than the start,
    /// ``nextReplayed()`` hands out what comes before it.
    init(files: [String], options: ReaderOptions, windowSize: Int, resumingAt position: RunPosition = .start) {
        self.files = files
        self.options = options
        self.windowSize = max(1, windowSize)
        replayEnd = position.isStart ? nil : position
    }

    /// The next items before the resume position, at most a window's worth; nil once they are all out.
    mutating func nextReplayed() throws(ReaderError) -> [(id: RecordID, item: ReadItem)]? {
        guard let end = replayEnd else { return nil }
        let endOrdinal = end.position?.ordinal ?? 1
        func reached(_ id: RecordID) -> Bool { id.fileIndex > end.fileIndex || (id.fileIndex == end.fileIndex && id.ordinal >= endOrdinal) }
        var items: [(id: RecordID, item: ReadItem)] = []
        while items.count < windowSize, fileIndex < files.count {
            try openIfNeeded()
            guard let upcoming = cursor?.upcoming else {
                closeInput()
                continue
            }
            let id = RecordID(fileIndex: fileIndex, ordinal: upcoming.ordinal)
            if reached(id) { break }
            _ = advance()
            items.append((id, upcoming))
        }
        if items.isEmpty {
            replayEnd = nil
            if let expected = end.position?.prefixHash, end.fileIndex == fileIndex, let prefix, prefix.value != expected {
                throw .streamChanged(
                    path: files[fileIndex], reason: "its first \(endOrdinal - 1) records are not the ones the interrupted run committed")
            }
            if end.position?.prefixHash != nil && (end.fileIndex != fileIndex || cursor?.upcoming == nil) && fileIndex < files.count {
                throw .streamChanged(path: files[fileIndex], reason: "it ends before the \(endOrdinal - 1) records the interrupted run committed")
            }
            return nil
        }
        return items
    }

    /// The next window; nil after the last input.
    mutating func nextWindow() throws(ReaderError) -> RecordWindow? {
        while try nextReplayed() != nil {}
        while fileIndex < files.count {
            try openIfNeeded()
            var items: [(id: RecordID, item: ReadItem)] = []
            items.reserveCapacity(windowSize)
            while items.count < windowSize, let item = advance() {
                items.append((RecordID(fileIndex: fileIndex, ordinal: item.ordinal), item))
            }
            if let upcoming = cursor?.upcoming {
                let position = ReadPosition(
                    byteOffset: upcoming.location.byteOffset, line: upcoming.location.line, ordinal: upcoming.ordinal, prefixHash: prefix?.value)
                return RecordWindow(items: items, next: RunPosition(fileIndex: fileIndex, position: position))
            }
            closeInput()
            if !items.isEmpty { return RecordWindow(items: items, next: RunPosition(fileIndex: fileIndex)) }
        }
        return nil
    }

    /// Opens the current input unless it is open; one that cannot be opened yields a reject instead.
    private mutating func openIfNeeded() throws(ReaderError) {
        guard cursor == nil else { return }
        let path = files[fileIndex]
        prefix = InputName(path).isRewindable ? nil : StreamPrefixHash()
        do {
            let opened = try options.open(path)
            note(opened.notices, of: path)
            cursor = RecordCursor(reader: opened, path: path)
        } catch {
            // A missing file, a refused option or an unreadable format is the user's to fix before the run;
            // a damaged input among others is one reject, and the run goes on.
            switch error {
            case .badArchive, .malformedXML:
                cursor = RecordCursor(failure: error, path: path)
            default:
                throw error
            }
        }
    }

    /// Keeps each of `found` as `path: notice`, once.
    private mutating func note(_ found: [String], of path: String) {
        for notice in found.map({ "\(path): \($0)" }) where !notices.contains(notice) { notices.append(notice) }
    }

    /// The current input's next item, counted in its prefix hash.
    private mutating func advance() -> ReadItem? {
        let item = cursor?.advance()
        if let item { prefix?.add(item) }
        return item
    }

    private mutating func closeInput() {
        if let cursor { note(cursor.endNotices, of: files[fileIndex]) }
        cursor = nil
        prefix = nil
        fileIndex += 1
    }
}
