/// Reads records out of an XML export with libxml2's SAX2 push parser, fed one chunk at a time: never the
/// whole file, never the tree.
///
/// The record element is given (`contacts/contact`) or detected; its attributes become `@name` fields and
/// its descendants `path/to/child` (and `path/@attr`) fields, with CDATA, character references and
/// internal entities decoded and namespace prefixes dropped (``XMLRecordCollector``). The parser loads no
/// DTD, no external entity and nothing from the network, and keeps libxml2's limits on depth, text size
/// and entity expansion (``LibXMLPushParser``). A malformed document stops at the error with its line and
/// column; every record that ended before it is read.
///
/// Resuming skips the records before the checkpoint's ordinal (counted, not built): XML cannot be entered
/// at a byte offset without its ancestors' context.
public struct XMLReader: RecordReader {
    /// The file as the user named it.
    public let path: String
    /// The record element's path from the root, as local names.
    public let recordPath: [String]
    /// Things worth telling the user (e.g. the detected record path).
    public private(set) var notices: [String] = []
    private let parser: LibXMLPushParser?
    private var finished = false

    /// Opens `path`; with `startAt`, skips to the record with that ordinal.
    public init(path: String, options: XMLOptions = XMLOptions(), startAt: ReadPosition? = nil) throws(ReaderError) {
        self.path = path
        if let given = options.recordPath {
            recordPath = given.split(separator: "/").map { part in String(part.split(separator: ":").last ?? part) }
        } else if let detected = try XMLRecordPathDetector.detect(path: path, elementLimit: options.detectionElements) {
            recordPath = detected
            notices.append("record element detected: \(detected.joined(separator: "/")) (use --record-path to choose another)")
        } else {
            recordPath = []
            notices.append("no repeated element with children was found: the file holds no records")
        }
        guard !recordPath.isEmpty else {
            parser = nil
            return
        }
        let collector = XMLRecordCollector(
            path: path, recordPath: recordPath, maxValueBytes: options.maxValueBytes, skipping: max(0, (startAt?.ordinal ?? 1) - 1))
        parser = try LibXMLPushParser(path: path, collector: collector)
    }

    /// The next record or reject; nil at the end of the document.
    public mutating func next() throws(ReaderError) -> ReadItem? {
        guard let parser, !finished else { return nil }
        while true {
            if let item = parser.collector.pointee.take() { return item }
            if parser.finished {
                finished = true
                if let error = parser.error {
                    throw .malformedXML(path: path, line: error.line, column: error.column, message: error.message)
                }
                return nil
            }
            if try !parser.parseNextChunk() { parser.collector.pointee.abandonRecord() }
        }
    }
}
