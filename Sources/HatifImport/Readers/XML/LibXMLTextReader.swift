import CLibXML2
import HatifAPI

/// A thin owner of one libxml2 `xmlTextReader` (for detecting the record element), opened safely: no network, no DTD or external entity
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

    let reader: xmlTextReaderPtr
    let errors = ErrorBox()
    private var names: [UnsafeRawPointer: String] = [:]

    /// Opens `path` whole.
    convenience init(path: String) throws(ReaderError) {
        _ = LibXMLPushParser.blockExternalEntities
        guard let reader = xmlReaderForFile(path, nil, Self.parseOptions) else {
            throw .cannotOpen(path: path, reason: "libxml2 could not open it")
        }
        self.init(reader: reader)
    }

    private init(reader: xmlTextReaderPtr) {
        self.reader = reader
        xmlTextReaderSetStructuredErrorHandler(
            reader,
            { context, error in
                guard let context, let error else { return }
                let box = Unmanaged<ErrorBox>.fromOpaque(context).takeUnretainedValue()
                guard LibXMLError.isError(error.pointee), box.message == nil else { return }
                box.message = LibXMLError.message(error.pointee)
                guard let (line, column) = LibXMLError.position(error.pointee) else { return }
                box.line = line
                box.column = column
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

    var nodeType: NodeType? { NodeType(rawValue: xmlTextReaderNodeType(reader)) }
    var depth: Int { Int(xmlTextReaderDepth(reader)) }
    var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }

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

    /// The parser's current line and column, for errors without a position of their own.
    var parserPosition: (line: Int, column: Int) {
        (Int(xmlTextReaderGetParserLineNumber(reader)), Int(xmlTextReaderGetParserColumnNumber(reader)))
    }
}
