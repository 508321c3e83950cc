/// Turns libxml2's SAX2 events into records: tracks the element path, and inside each record element
/// gathers its attributes as `@name` fields and its descendants as `path/to/child` (and `path/@attr`)
/// fields, namespace prefixes dropped. Finished records wait for the reader (``take()``).
///
/// A value, kept in the parser and changed in place by each event: one exclusive access per event, where
/// a class's properties would each cost their own.
struct XMLRecordCollector {
    /// The file as the user named it.
    let path: String
    /// The record element's path from the root, as local names' UTF-8.
    private let recordPath: [[UInt8]]
    private let maxValueBytes: Int
    /// Records still to be counted but not built (resuming).
    private let skipping: Int
    /// Items finished and not handed out yet, from `readyStart` on.
    private var ready: [ReadItem] = []
    private var readyStart = 0

    /// Depth of the innermost open element (1 for the root), and how many leading levels match the
    /// record path.
    private(set) var depth = 0
    private var matched = 0
    private var ordinal: Int

    /// The record being read.
    private var inRecord = false
    private var building = false
    private var location = SourceLocation(file: "", line: 0, byteOffset: 0)
    /// The record's fields by path number (``textField`` for the record's own text); their names come from
    /// the layout.
    private let fields = GrowableBuffer<UInt64>(capacity: 64)
    private var layouts: RecordLayouts
    private static let textField = UInt64.max
    private let values = RecordValues()
    private var notes: [String] = []
    private var problem: String?
    /// Text of the open elements: text goes to the innermost one, and a child's text leaves the buffer
    /// when the child ends, so each element's text stays in one run.
    private let texts = GrowableBuffer<UInt8>(capacity: 1024)
    private var open: [OpenElement] = []

    /// Field paths, interned by parent path and libxml2's interned name: one string per distinct path.
    /// Path numbers live only inside a record, so the table starts over at a record past ``maxPaths``.
    private var paths: [String] = [""]
    private static let maxPaths = 20_000
    private var pathNumbers = PathTable()

    /// Path numbers by (parent path, attribute or element, name pointer): open addressing, since a
    /// dictionary's hashing cost more than the rest of an element.
    private struct PathTable {
        private var keys: [(parent: Int, name: UInt)] = Array(repeating: (-1, 0), count: 1024)
        private var numbers: [Int] = Array(repeating: 0, count: 1024)
        private var count = 0

        private func slot(parent: Int, name: UInt) -> Int {
            // `>>` binds tighter than `&*` in Swift: the high bits of the product are taken explicitly.
            let mixed = (UInt64(name) >> 3 ^ UInt64(parent) &* 0x9E37_79B9) &* 0xFF51_AFD7_ED55_8CCD
            var slot = Int(truncatingIfNeeded: mixed >> 40) & (keys.count - 1)
            while keys[slot].parent >= 0 && (keys[slot].parent != parent || keys[slot].name != name) { slot = (slot + 1) & (keys.count - 1) }
            return slot
        }

        func number(parent: Int, name: UInt) -> Int? {
            let found = slot(parent: parent, name: name)
            return keys[found].parent >= 0 ? numbers[found] : nil
        }

        mutating func insert(parent: Int, name: UInt, number: Int) {
            if 2 * (count + 1) > keys.count {
                let old = zip(keys, numbers).filter { $0.0.parent >= 0 }
                keys = Array(repeating: (-1, 0), count: 2 * keys.count)
                numbers = Array(repeating: 0, count: keys.count)
                for (key, value) in old {
                    let free = slot(parent: key.parent, name: key.name)
                    keys[free] = key
                    numbers[free] = value
                }
            }
            let free = slot(parent: parent, name: name)
            keys[free] = (parent, name)
            numbers[free] = number
            count += 1
        }
    }

    /// One open element inside the record.
    private struct OpenElement {
        var path: Int
        var textStart: Int
        var hasChildren = false
    }

    init(path: String, recordPath: [String], maxValueBytes: Int, skipping: Int) {
        layouts = RecordLayouts(file: path)
        self.path = path
        self.recordPath = recordPath.map { Array($0.utf8) }
        self.maxValueBytes = maxValueBytes
        self.skipping = skipping
        ordinal = 0
    }

    /// The next finished item, if any.
    mutating func take() -> ReadItem? {
        guard readyStart < ready.count else { return nil }
        let item = ready[readyStart]
        readyStart += 1
        if readyStart == ready.count {
            ready.removeAll(keepingCapacity: true)
            readyStart = 0
        }
        return item
    }

    /// An element starts: `attributes` holds libxml2's five pointers per attribute (local name, prefix,
    /// URI, value start, value end). `position` gives its line and byte offset, asked only for a record.
    mutating func startElement(
        _ localName: UnsafePointer<UInt8>, attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?, count: Int,
        position: () -> (line: Int, offset: Int64)
    ) {
        depth += 1
        if inRecord {
            guard building else { return }
            open[open.count - 1].hasChildren = true
            let child = number(parent: open[open.count - 1].path, name: localName, attribute: false)
            readAttributes(attributes, count: count, parent: child)
            open.append(OpenElement(path: child, textStart: texts.count))
            return
        }
        if matched == depth - 1, depth <= recordPath.count, Self.equal(localName, recordPath[depth - 1]) { matched = depth }
        guard matched == recordPath.count, depth == recordPath.count else { return }
        ordinal += 1
        inRecord = true
        building = ordinal > skipping
        guard building else { return }
        let (line, offset) = position()
        location = SourceLocation(file: path, line: line, byteOffset: offset)
        if paths.count > Self.maxPaths {
            paths = [""]
            pathNumbers = PathTable()
            layouts.removeAll()
        }
        fields.removeAll()
        values.removeAll()
        // Emptied in place: a new array for each record cost more than the rest of its start.
        if !notes.isEmpty { notes.removeAll() }
        problem = nil
        texts.removeAll()
        open.removeAll(keepingCapacity: true)
        open.append(OpenElement(path: 0, textStart: 0))
        readAttributes(attributes, count: count, parent: 0)
    }

    /// The innermost open element ends.
    mutating func endElement() {
        defer {
            depth -= 1
            matched = min(matched, depth)
        }
        guard inRecord else { return }
        guard building else {
            if depth == recordPath.count { inRecord = false }
            return
        }
        let element = open.removeLast()
        let text = Self.trimmingXMLWhitespace(UnsafeBufferPointer(rebasing: texts.buffer[element.textStart...]))
        if open.isEmpty {
            if !text.isEmpty { append(Self.textField, text) }
        } else if !element.hasChildren || !text.isEmpty {
            append(UInt64(element.path), text)
        }
        texts.truncate(to: element.textStart)
        guard open.isEmpty else { return }
        inRecord = false
        ready.append(finishedRecord())
    }

    /// Text (or CDATA) inside the innermost open element.
    mutating func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard inRecord, building, let innermost = open.last else { return }
        // White space before an element's first other character is never kept (values are trimmed), and
        // most of it is the indentation between elements: it is not stored at all.
        if texts.count == innermost.textStart, Self.isXMLWhitespace(bytes) { return }
        guard texts.count - innermost.textStart + bytes.count <= maxValueBytes else {
            if problem == nil {
                let name = innermost.path == 0 ? recordPath.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "/") : paths[innermost.path]
                problem = "the value of \(name) is longer than \(maxValueBytes) bytes"
            }
            return
        }
        texts.append(bytes)
    }

    /// Notes something worth telling about the record being read.
    mutating func note(_ text: String) {
        if inRecord && building { notes.append(text) }
    }

    /// The parse stopped at an error: the record being read is dropped (its text is not whole).
    mutating func abandonRecord() {
        inRecord = false
    }

    private mutating func readAttributes(_ attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?, count: Int, parent: Int) {
        guard let attributes, count > 0 else { return }
        for index in 0..<count {
            guard let name = attributes[5 * index], let start = attributes[5 * index + 3], let end = attributes[5 * index + 4] else { continue }
            let field = number(parent: parent, name: name, attribute: true)
            append(UInt64(field), UnsafeBufferPointer(start: start, count: end - start))
        }
    }

    private mutating func append(_ field: UInt64, _ value: UnsafeBufferPointer<UInt8>) {
        fields.append(field)
        values.append(value)
    }

    /// The number of the field path `parent/name` (or `parent/@name`), interned.
    private mutating func number(parent: Int, name: UnsafePointer<UInt8>, attribute: Bool) -> Int {
        // The name pointer shifted left; the lowest bit tells an attribute from an element of the same name.
        let key = UInt(bitPattern: UnsafeRawPointer(name)) << 1 | (attribute ? 1 : 0)
        if let known = pathNumbers.number(parent: parent, name: key) { return known }
        let local = String(cString: name)
        let leaf = attribute ? "@" + local : local
        let full = parent == 0 ? leaf : paths[parent] + "/" + leaf
        paths.append(full)
        pathNumbers.insert(parent: parent, name: key, number: paths.count - 1)
        return paths.count - 1
    }

    /// The record just ended; libxml2 hands out UTF-8, which is checked all the same.
    private mutating func finishedRecord() -> ReadItem {
        if let problem { return .reject(SourceReject(ordinal: ordinal, location: location, reason: problem)) }
        guard UTF8Text.isValidRun(values.utf8.buffer) else {
            return .reject(SourceReject(ordinal: ordinal, location: location, reason: "the record's text is not valid UTF-8"))
        }
        let paths = self.paths
        let layout = layouts.layout(of: fields.buffer) { field in
            (field == Self.textField ? "#text" : paths[Int(field)], SourceRecord.Attributes(parameters: [:], group: nil))
        }
        return .record(
            SourceRecord(
                ordinal: ordinal, shape: layout.shape, line: location.line, byteOffset: location.byteOffset, utf8: values.utf8.buffer,
                ends: values.ends.buffer, notes: notes))
    }

    /// Whether `byte` is XML white space (space, tab, LF, CR).
    @inline(__always)
    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    /// Whether `bytes` are all XML white space.
    static func isXMLWhitespace(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes where !isSpace(byte) { return false }
        return true
    }

    /// Whether the NUL-terminated `name` is `expected`.
    private static func equal(_ name: UnsafePointer<UInt8>, _ expected: [UInt8]) -> Bool {
        for (index, byte) in expected.enumerated() where name[index] != byte { return false }
        return name[expected.count] == 0
    }

    /// `bytes` without leading and trailing XML white space (space, tab, CR, LF).
    private static func trimmingXMLWhitespace(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard let head = bytes.first, let tail = bytes.last, isSpace(head) || isSpace(tail) else { return bytes }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }) else { return UnsafeBufferPointer(rebasing: bytes[0..<0]) }
        let last = bytes.lastIndex(where: { !isSpace($0) }) ?? first
        return UnsafeBufferPointer(rebasing: bytes[first...last])
    }
}
