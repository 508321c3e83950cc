import CLibXML2

/// Reads records out of an XML export with libxml2's streaming `xmlTextReader`, never building the tree.
///
/// The record element is given (`contacts/contact`) or detected; its attributes become `@name` fields and
/// its descendants `path/to/child` (and `path/@attr`) fields, with CDATA and entities decoded and
/// namespace prefixes dropped. The parser loads no DTD, no external entity and nothing from the network,
/// and keeps libxml2's limits on depth, text size and entity expansion. A malformed document stops at
/// the error with its line and column; the records before it stay good.
///
/// Resuming skips the records before the checkpoint's ordinal (their subtrees are skipped, not read):
/// XML cannot be entered at a byte offset without its ancestors' context.
public struct XMLReader: RecordReader {
    /// The file as the user named it.
    public let path: String
    /// The record element's path from the root, as local names.
    public let recordPath: [String]
    /// Things worth telling the user (e.g. the detected record path).
    public private(set) var notices: [String] = []
    private let options: XMLOptions
    private var xml: LibXMLTextReader
    /// After a parse error: its line (records from there on are not yielded) and the error to throw.
    private var stop: (line: Int, error: ReaderError)?
    private var stack: [String] = []
    /// The qualified names of the open elements, to close them when cutting the document after an error.
    private var qualifiedStack: [String] = []
    private var ordinal = 0
    private var failure: ReaderError?
    private var finished = false
    /// The current node was read but not handled yet (after skipping a subtree).
    private var pending = false

    /// Opens `path`; with `startAt`, skips to the record with that ordinal.
    public init(path: String, options: XMLOptions = XMLOptions(), startAt: ReadPosition? = nil) throws(ReaderError) {
        self.path = path
        self.options = options
        if let given = options.recordPath {
            recordPath = given.split(separator: "/").map { part in String(part.split(separator: ":").last ?? part) }
        } else if let detected = try XMLRecordPathDetector.detect(path: path, elementLimit: options.detectionElements) {
            recordPath = detected
            notices.append("record element detected: \(detected.joined(separator: "/")) (use --record-path to choose another)")
        } else {
            recordPath = []
            notices.append("no repeated element with children was found: the file holds no records")
        }
        xml = try LibXMLTextReader(path: path)
        if let startAt, startAt.ordinal > 1 { try skip(records: startAt.ordinal - 1) }
    }

    /// The next record or reject; nil at the end of the document.
    public mutating func next() throws(ReaderError) -> ReadItem? {
        if let failure {
            self.failure = nil
            finished = true
            throw failure
        }
        guard !finished, !recordPath.isEmpty else { return nil }
        while true {
            if !pending {
                guard let more = xml.read() else {
                    try recover(from: documentError(), recordInProgress: false)
                    continue
                }
                guard more else {
                    finished = true
                    if let stop { throw stop.error }
                    return nil
                }
            }
            pending = false
            guard let type = xml.nodeType else { continue }
            if type == .element {
                enterElement()
                if let stop, xml.line >= stop.line {
                    finished = true
                    throw stop.error
                }
                if stack == recordPath { return try readRecord() }
                if xml.isEmptyElement { stack.removeLast() }
            } else if type == .endElement {
                stack.removeLast(max(0, stack.count - xml.depth))
            }
        }
    }

    private mutating func enterElement() {
        stack.removeLast(max(0, stack.count - xml.depth))
        qualifiedStack.removeLast(max(0, qualifiedStack.count - xml.depth))
        stack.append(xml.localName)
        qualifiedStack.append(xml.qualifiedName)
    }

    /// libxml2 reads ahead, so an error can strike while records before it are still unseen. The first
    /// error reopens the document cut at the start of the error's line, with the record's ancestors closed,
    /// skips the records already yielded and yields the rest; the record holding the error becomes a
    /// reject; then the error is thrown.
    private mutating func recover(from error: ReaderError, recordInProgress: Bool) throws(ReaderError) {
        guard stop == nil, case .malformedXML(_, let line, _, _) = error else { throw stop?.error ?? error }
        let yielded = ordinal - (recordInProgress ? 1 : 0)
        stop = (line, error)
        // The record's ancestors as written; before any element was seen, the record path's.
        let depth = max(0, recordPath.count - 1)
        let ancestors = qualifiedStack.count >= depth ? Array(qualifiedStack.prefix(depth)) : Array(recordPath.prefix(depth))
        let suffix = Array(ancestors.reversed().map { "</\($0)>" }.joined().utf8)
        xml = try LibXMLTextReader(path: path, limit: try Self.offset(ofLine: line, in: path), suffix: suffix)
        stack = []
        qualifiedStack = []
        pending = false
        ordinal = 0
        try skip(records: yielded)
    }

    /// The byte offset where physical line `line` starts.
    private static func offset(ofLine line: Int, in path: String) throws(ReaderError) -> Int64 {
        var lines = PhysicalLineReader(file: try InputFile(path: path), startOffset: 0, line: 1, maxLineBytes: 0)
        var scratch: [UInt8] = []
        var offset: Int64 = 0
        while let info = try lines.next(into: &scratch) {
            offset = info.offset
            if info.number >= line { break }
        }
        return offset
    }

    private mutating func skip(records count: Int) throws(ReaderError) {
        var skipped = 0
        while skipped < count {
            if !pending {
                guard let more = xml.read() else { throw documentError() }
                guard more else { return }
            }
            pending = false
            guard let type = xml.nodeType else { continue }
            if type == .element {
                enterElement()
                if stack == recordPath {
                    skipped += 1
                    ordinal += 1
                    stack.removeLast()
                    guard let more = xml.skipSubtree() else { throw documentError() }
                    guard more else { return }
                    pending = true
                } else if xml.isEmptyElement {
                    stack.removeLast()
                }
            } else if type == .endElement {
                stack.removeLast(max(0, stack.count - xml.depth))
            }
        }
    }

    private func documentError() -> ReaderError {
        let position = xml.parserPosition
        let line = xml.errors.line > 0 ? xml.errors.line : position.line
        return .malformedXML(
            path: path, line: line, column: xml.errors.column > 0 ? xml.errors.column : position.column,
            message: xml.errors.message ?? "the parser stopped")
    }

    /// One open element inside the record.
    private struct OpenElement {
        var path: String
        /// Where its text starts in the record's text buffer: text goes to the innermost open element,
        /// and a child's text leaves the buffer when the child ends, so each element's text stays in one run.
        var textStart: Int
        var hasChildren = false
    }

    /// Reads the record whose start element is the current node.
    private mutating func readRecord() throws(ReaderError) -> ReadItem {
        ordinal += 1
        let location = SourceLocation(file: path, line: xml.line, byteOffset: xml.bytesConsumed)
        var fields = XMLFields()
        var notes: [String] = []
        var problem: String?
        readAttributes(prefix: "", into: &fields)
        if xml.isEmptyElement {
            stack.removeLast()
            return fields.record(ordinal: ordinal, location: location, notes: [])
        }
        var texts: [UInt8] = []
        texts.reserveCapacity(256)
        var open = [OpenElement(path: "", textStart: 0)]
        while true {
            guard let more = xml.read(), more else {
                let error = stop?.error ?? documentError()
                if stop == nil {
                    try recover(from: error, recordInProgress: true)
                    pending = false
                    return try next() ?? .reject(SourceReject(ordinal: ordinal + 1, location: location, reason: "\(error)"))
                }
                failure = error
                return .reject(SourceReject(ordinal: ordinal, location: location, reason: "\(error)"))
            }
            switch xml.nodeType {
            case .element?:
                let name = xml.localName
                open[open.count - 1].hasChildren = true
                let parent = open[open.count - 1].path
                let childPath = parent.isEmpty ? name : parent + "/" + name
                readAttributes(prefix: childPath + "/", into: &fields)
                if xml.isEmptyElement {
                    fields.append(childPath, UnsafeBufferPointer(start: nil, count: 0))
                } else {
                    open.append(OpenElement(path: childPath, textStart: texts.count))
                }
            case .text?, .cdata?, .significantWhitespace?:
                let value = xml.valueBytes
                if texts.count - open[open.count - 1].textStart + value.count > options.maxValueBytes {
                    if problem == nil {
                        problem = "the value of \(open[open.count - 1].path.isEmpty ? recordPath.joined(separator: "/") : open[open.count - 1].path) is longer than \(options.maxValueBytes) bytes"
                    }
                } else {
                    texts.append(contentsOf: value)
                }
            case .entityReference?:
                notes.append("entity &\(xml.localName); was left unexpanded")
            case .endElement?:
                let element = open.removeLast()
                texts.withUnsafeBufferPointer { all in
                    let text = Self.trimmingXMLWhitespace(UnsafeBufferPointer(rebasing: all[element.textStart...]))
                    if open.isEmpty {
                        if !text.isEmpty { fields.append("#text", text) }
                    } else if !element.hasChildren || !text.isEmpty {
                        fields.append(element.path, text)
                    }
                }
                texts.removeLast(texts.count - element.textStart)
                if open.isEmpty {
                    stack.removeLast()
                    if let problem {
                        return .reject(SourceReject(ordinal: ordinal, location: location, reason: problem))
                    }
                    return fields.record(ordinal: ordinal, location: location, notes: notes)
                }
            default:
                continue
            }
        }
    }

    private func readAttributes(prefix: String, into fields: inout XMLFields) {
        guard xmlTextReaderHasAttributes(xml.reader) == 1 else { return }
        while xml.moveToNextAttribute() {
            if xml.isNamespaceDeclaration { continue }
            fields.append(prefix + "@" + xml.localName, xml.valueBytes)
        }
        xml.moveToElement()
    }

    /// The names and values of the record being read, the values as `SourceRecord` keeps them.
    private struct XMLFields {
        var names: [String] = []
        var values = RecordValues()

        mutating func append(_ name: String, _ value: UnsafeBufferPointer<UInt8>) {
            names.append(name)
            values.append(value)
        }

        /// The record; libxml2 hands out UTF-8, which is checked all the same.
        func record(ordinal: Int, location: SourceLocation, notes: [String]) -> ReadItem {
            guard values.utf8.withUnsafeBufferPointer(UTF8Text.isValid) else {
                return .reject(SourceReject(ordinal: ordinal, location: location, reason: "the record's text is not valid UTF-8"))
            }
            return .record(SourceRecord(ordinal: ordinal, location: location, names: names, values: values, attributes: [], notes: notes))
        }
    }

    /// `bytes` without leading and trailing XML white space (space, tab, CR, LF).
    private static func trimmingXMLWhitespace(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }) else { return UnsafeBufferPointer(rebasing: bytes[0..<0]) }
        let last = bytes.lastIndex(where: { !isSpace($0) }) ?? first
        return UnsafeBufferPointer(rebasing: bytes[first...last])
    }
}
