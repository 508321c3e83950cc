/// A list of record identities as the checkpoint stores it: runs of consecutive ordinals, `0:1-250,252,254-500`,
/// files apart by `;` (`0:1-9;1:1-3`), in the list's order.
///
/// A window's records in flight are nearly always consecutive: as ranges they are a few bytes instead of an
/// object each, which was a sixtieth of an import's CPU in `JSONEncoder` (the checkpoint is saved before each
/// window's first request).
enum RecordIDRanges {
    /// The text of `ids`.
    static func text(_ ids: [RecordID]) -> String {
        var text = ""
        var index = ids.startIndex
        var file: Int?
        while index < ids.endIndex {
            let first = ids[index]
            var last = first
            while index + 1 < ids.endIndex, ids[index + 1].fileIndex == first.fileIndex, ids[index + 1].ordinal == last.ordinal + 1 {
                index += 1
                last = ids[index]
            }
            index += 1
            if file != first.fileIndex {
                if file != nil { text += ";" }
                text += "\(first.fileIndex):"
                file = first.fileIndex
            } else {
                text += ","
            }
            text += last.ordinal == first.ordinal ? "\(first.ordinal)" : "\(first.ordinal)-\(last.ordinal)"
        }
        return text
    }

    /// The identities `text` lists, or nil when it is not such a list.
    static func ids(_ text: String) -> [RecordID]? {
        var ids: [RecordID] = []
        guard !text.isEmpty else { return ids }
        for group in text.split(separator: ";", omittingEmptySubsequences: false) {
            let parts = group.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let file = Int(parts[0]), file >= 0 else { return nil }
            for run in parts[1].split(separator: ",", omittingEmptySubsequences: false) {
                let bounds = run.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
                guard let first = Int(bounds[0]), let last = bounds.count == 2 ? Int(bounds[1]) : first, first >= 0, first <= last,
                    last - first < 100_000_000
                else { return nil }
                for ordinal in first...last { ids.append(RecordID(fileIndex: file, ordinal: ordinal)) }
            }
        }
        return ids
    }
}
