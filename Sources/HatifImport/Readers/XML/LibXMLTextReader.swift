import CLibXML2
import HatifAPI

/// A thin owner of one libxml2 `xmlTextReader`, opened safely: no network, no DTD or external entity
/// loading, entities not substituted, libxml2's default size and depth limits kept.
final class LibXMLTextReader {
    /// Node types of the reader API (`xmlReaderTypes`).
    enum NodeType: Int32 {
        case element = 1, attribute = 2, text = 3, cdata = 4, entityReference = 5, entity = 6
        case processingInstruction = 7, comment = 8, document = 9, documentType = 10, documentFragment = 11
        case notation = 12, whitespace = 13, significantWhitespace = 14, endElement = 15, endEntity = 16
        case xmlDeclaration = 17
    }

    /// The last error libxml2 reported.
    final class ErrorBox {
        var message: String?
        var line = 0
        var column = 0
    }

    static let parseOptions: Int32 = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_NOERROR.rawValue
            | XML_PARSE_NOWARNING.rawValue | XML_PARSE_BIG_LINES.rawValue | XML_PARSE_COMPACT.rawValue
            | XML_PARSE_NOBLANKS.rawValue)

    /// Refuses every external entity and DTD: the readers never touch a file or the network beyond the input.
    private static let blockExternalEntities: Void = {
        xmlSetExternalEntityLoader { _, _, _ in nil }
    }()

    let reader: xmlTextReaderPtr
    let errors = ErrorBox()
    private var names: [UnsafeRawPointer: String] = [:]

    /// Opens `path` whole.
    convenience init(path: String) throws(ReaderError) {
        _ = Self.blockExternalEntities
        guard let reader = xmlReaderForFile(path, nil, Self.parseOptions) else {
            throw .cannotOpen(path: path, reason: "libxml2 could not open it")
        }
        self.init(reader: reader, input: nil)
    }

    /// Opens the first `limit` bytes of `path` followed by `suffix`: used after an error to read the
    /// records that precede it, which libxml2's read-ahead had not handed out yet.
    convenience init(path: String, limit: Int64, suffix: [UInt8]) throws(ReaderError) {
        _ = Self.blockExternalEntities
        let input = TruncatedInput(file: try InputFile(path: path), limit: limit, suffix: suffix)
        let context = Unmanaged.passUnretained(input).toOpaque()
        let read: xmlInputReadCallback = { context, buffer, length in
            guard let context, let buffer else { return -1 }
            let input = Unmanaged<TruncatedInput>.fromOpaque(context).takeUnretainedValue()
            return input.read(into: UnsafeMutableRawPointer(buffer), count: Int(length))
        }
        // Blank nodes are kept here: without them libxml2 holds back the last record before the cut.
        let options = Self.parseOptions & ~Int32(XML_PARSE_NOBLANKS.rawValue)
        guard let reader = xmlReaderForIO(read, nil, context, path, nil, options) else {
            throw .cannotOpen(path: path, reason: "libxml2 could not open it")
        }
        self.init(reader: reader, input: input)
    }

    /// Keeps the truncated input alive as long as libxml2 reads from it.
    private let input: TruncatedInput?

    private init(reader: xmlTextReaderPtr, input: TruncatedInput?) {
        self.reader = reader
        self.input = input
        xmlTextReaderSetStructuredErrorHandler(
            reader,
            { context, error in
                guard let context, let error else { return }
                let box = Unmanaged<ErrorBox>.fromOpaque(context).takeUnretainedValue()
                guard error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue, box.message == nil else { return }
                box.message = error.pointee.message.map { String(cString: $0).trimmingWhitespace() } ?? "unknown error"
                // An error inside an entity's text (no file) counts lines in that text: the parser's own
                // position in the document is used instead.
                guard error.pointee.file != nil else { return }
                box.line = Int(error.pointee.line)
                box.column = Int(error.pointee.int2)
            }, Unmanaged.passUnretained(errors).toOpaque())
    }

    deinit { xmlFreeTextReader(reader) }

    /// Moves to the next node: true, false at the end, or nil on an error.
    func read() -> Bool? {
        switch xmlTextReaderRead(reader) {
        case 1: true
        case 0: false
        default: nil
        }
    }

    /// Skips the current node's subtree.
    func skipSubtree() -> Bool? {
        switch xmlTextReaderNext(reader) {
        case 1: true
        case 0: false
        default: nil
        }
    }

    var nodeType: NodeType? { NodeType(rawValue: xmlTextReaderNodeType(reader)) }
    var depth: Int { Int(xmlTextReaderDepth(reader)) }
    var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }

    /// The qualified name (`prefix:local`).
    var qualifiedName: String { xmlTextReaderConstName(reader).map { String(cString: $0) } ?? "" }

    /// The local name (prefix dropped), interned: libxml2's dictionary gives each name one pointer.
    var localName: String {
        guard let pointer = xmlTextReaderConstLocalName(reader) else { return "" }
        let key = UnsafeRawPointer(pointer)
        if let name = names[key] { return name }
        let name = String(cString: pointer)
        names[key] = name
        return name
    }

    /// The node's text value (text, CDATA, attribute value).
    var value: String? { xmlTextReaderConstValue(reader).map { String(cString: $0) } }

    /// The node's value as UTF-8 bytes, valid until the next move; empty when it has none.
    var valueBytes: UnsafeBufferPointer<UInt8> {
        guard let pointer = xmlTextReaderConstValue(reader) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: pointer, count: Int(xmlStrlen(pointer)))
    }

    /// The line of the current node.
    var line: Int {
        guard let node = xmlTextReaderCurrentNode(reader) else { return Int(xmlTextReaderGetParserLineNumber(reader)) }
        return Int(xmlGetLineNo(node))
    }

    /// Bytes consumed by the parser so far (an approximate position).
    var bytesConsumed: Int64 { Int64(xmlTextReaderByteConsumed(reader)) }

    /// Moves to the next attribute of the current element; false when there is none.
    func moveToNextAttribute() -> Bool { xmlTextReaderMoveToNextAttribute(reader) == 1 }

    /// Whether the current attribute is a namespace declaration (`xmlns`, `xmlns:x`).
    var isNamespaceDeclaration: Bool { xmlTextReaderIsNamespaceDecl(reader) == 1 }

    /// Moves back from an attribute to its element.
    func moveToElement() { xmlTextReaderMoveToElement(reader) }

    /// The parser's current line and column, for errors without a position of their own.
    var parserPosition: (line: Int, column: Int) {
        (Int(xmlTextReaderGetParserLineNumber(reader)), Int(xmlTextReaderGetParserColumnNumber(reader)))
    }
}

/// The first `limit` bytes of a file, then `suffix`.
final class TruncatedInput {
    private let file: InputFile
    private let limit: Int64
    private let suffix: [UInt8]
    private var position: Int64 = 0
    private var chunk: [UInt8] = []

    init(file: InputFile, limit: Int64, suffix: [UInt8]) {
        self.file = file
        self.limit = limit
        self.suffix = suffix
    }

    func read(into buffer: UnsafeMutableRawPointer, count: Int) -> Int32 {
        if position < limit {
            let wanted = Int(min(Int64(count), limit - position))
            guard let got = try? file.read(at: position, count: wanted, into: &chunk) else { return -1 }
            chunk.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: got) }
            position += Int64(got)
            if got > 0 { return Int32(got) }
            position = limit
        }
        let offset = Int(position - limit)
        let remaining = suffix.count - offset
        guard remaining > 0 else { return 0 }
        let taken = min(remaining, count)
        suffix.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress! + offset, byteCount: taken) }
        position += Int64(taken)
        return Int32(taken)
    }
}
