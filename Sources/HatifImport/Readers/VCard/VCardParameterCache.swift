/// Parsed parameter lists of a vCard file, by their raw bytes: a file repeats a few lists
/// (`;TYPE=CELL;TYPE=VOICE`, `;TYPE=INTERNET`) on every card, and parsing each anew into a dictionary
/// costs more than the rest of the line.
struct VCardParameterCache {
    /// One parsed list; a class, so that a line holding it costs one reference.
    final class Entry {
        /// The raw bytes, `;` first, up to the `:`.
        let raw: [UInt8]
        /// Every parameter by upper-cased name.
        let parameters: [String: [String]]
        /// The upper-cased `ENCODING`, if any.
        let encoding: String?
        /// The parameters a field keeps: all but `ENCODING` and `CHARSET`, which the reader applies.
        let fieldParameters: [String: [String]]
        /// The `CHARSET`, when it names an encoding the reader knows.
        let charset: TextEncoding?

        init(raw: [UInt8], parameters: [String: [String]]) {
            self.raw = raw
            self.parameters = parameters
            encoding = parameters["ENCODING"]?.first
            var kept = parameters
            kept["ENCODING"] = nil
            charset = kept.removeValue(forKey: "CHARSET")?.first.flatMap(TextEncoding.init(name:))
            fieldParameters = kept
        }
    }

    /// How many distinct lists are kept; past that, lists are parsed each time (a hostile file cannot
    /// grow the cache).
    static let capacity = 512

    private var entries: [Int: Entry] = [:]

    /// The parsed form of `raw`, from the cache when it was seen before.
    mutating func parameters(_ raw: UnsafeBufferPointer<UInt8>, parse: (UnsafeBufferPointer<UInt8>) -> Entry) -> Entry {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(raw))
        let key = hasher.finalize()
        if let entry = entries[key], entry.raw.elementsEqual(raw) { return entry }
        let entry = parse(raw)
        if entries.count < Self.capacity { entries[key] = entry }
        return entry
    }
}
