import CLibXML2

/// What an XLSX part's SAX events go to.
protocol XLSXPartHandler: AnyObject {
    /// An element opens; `name` is its local name (NUL-terminated UTF-8).
    func startElement(_ name: UnsafePointer<UInt8>, attributes: XLSXAttributes)
    /// An element closes.
    func endElement(_ name: UnsafePointer<UInt8>)
    /// Text (entities and character references decoded).
    func characters(_ bytes: UnsafeBufferPointer<UInt8>)
}

/// An element's attributes as libxml2's SAX2 hands them over: five pointers each (local name, prefix,
/// URI, value start, value end), valid during the callback only.
struct XLSXAttributes {
    let pointer: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    let count: Int

    /// The value of the attribute whose local name is `name`, if present.
    func value(_ name: StaticString) -> UnsafeBufferPointer<UInt8>? {
        guard let pointer else { return nil }
        for index in 0..<count {
            let base = pointer + index * 5
            guard let local = base[0], XLSXAttributes.equal(local, name) else { continue }
            guard let start = base[3], let end = base[4] else { return nil }
            return UnsafeBufferPointer(start: start, count: end - start)
        }
        return nil
    }

    /// The value as a string.
    func string(_ name: StaticString) -> String? { value(name).map { String(decoding: $0, as: UTF8.self) } }

    /// The value as a non-negative integer.
    func integer(_ name: StaticString) -> Int? {
        guard let bytes = value(name), !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var result = 0
        for byte in bytes {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            result = result * 10 + Int(byte - 0x30)
        }
        return result
    }

    /// Whether the NUL-terminated `name` equals `literal`.
    @inline(__always)
    static func equal(_ name: UnsafePointer<UInt8>, _ literal: StaticString) -> Bool {
        let bytes = literal.utf8Start
        for index in 0..<literal.utf8CodeUnitCount where name[index] != bytes[index] { return false }
        return name[literal.utf8CodeUnitCount] == 0
    }
}

/// libxml2's SAX2 push parser over one part of a workbook, fed from a stream chunk by chunk, its events
/// handed to a handler: no network, no DTD, no external entity (as ``LibXMLPushParser``).
final class XLSXPartParser {
    static let chunkSize = 256 * 1024

    /// The part as locations name it (`book.xlsx[Contacts]`, `book.xlsx!xl/sharedStrings.xml`).
    let label: String
    private let stream: ByteStream
    private unowned let handler: XLSXPartHandler
    private let context: xmlParserCtxtPtr
    private var chunk = [UInt8](repeating: 0, count: XLSXPartParser.chunkSize)
    private(set) var finished = false
    private var error: (message: String, line: Int, column: Int)?

    init(stream: ByteStream, label: String, handler: XLSXPartHandler) throws(ReaderError) {
        _ = LibXMLPushParser.blockExternalEntities
        self.stream = stream
        self.label = label
        self.handler = handler
        var sax = xmlSAXHandler()
        sax.initialized = XML_SAX2_MAGIC
        sax.startElementNs = { context, localName, _, _, _, _, attributeCount, _, attributes in
            guard let localName else { return }
            XLSXPartParser.with(context) { parser in
                parser.handler.startElement(localName, attributes: XLSXAttributes(pointer: attributes, count: Int(attributeCount)))
            }
        }
        sax.endElementNs = { context, localName, _, _ in
            guard let localName else { return }
            XLSXPartParser.with(context) { $0.handler.endElement(localName) }
        }
        let characters: charactersSAXFunc = { context, bytes, length in
            guard let bytes else { return }
            XLSXPartParser.with(context) { $0.handler.characters(UnsafeBufferPointer(start: bytes, count: Int(length))) }
        }
        sax.characters = characters
        sax.cdataBlock = characters
        sax.serror = { context, error in
            guard let error, LibXMLError.isError(error.pointee) else { return }
            XLSXPartParser.with(context) { parser in
                guard parser.error == nil else { return }
                let position = LibXMLError.position(error.pointee) ?? (0, 0)
                parser.error = (LibXMLError.message(error.pointee), position.line, position.column)
            }
        }
        guard let context = xmlCreatePushParserCtxt(&sax, nil, nil, 0, label) else {
            throw .cannotOpen(path: label, reason: "libxml2 could not start")
        }
        self.context = context
        xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue | XML_PARSE_NOCDATA.rawValue))
        context.pointee._private = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        if let document = context.pointee.myDoc { xmlFreeDoc(document) }
        xmlFreeParserCtxt(context)
    }

    @inline(__always)
    private static func with(_ context: UnsafeMutableRawPointer?, _ body: (XLSXPartParser) -> Void) {
        guard let context, let owner = context.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private else { return }
        Unmanaged<XLSXPartParser>.fromOpaque(owner)._withUnsafeGuaranteedRef(body)
    }

    /// Parses the next chunk (the end of the part after the last); false once the part is done.
    @discardableResult
    func parseNextChunk() throws(ReaderError) -> Bool {
        guard !finished else { return false }
        let count = try chunk.fill { bytes throws(ReaderError) in try stream.readFully(into: bytes) }
        if count == 0 { finished = true }
        let status = chunk.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { xmlParseChunk(context, $0.baseAddress, Int32(count), count == 0 ? 1 : 0) }
        }
        if status != 0 || context.pointee.wellFormed == 0 || error != nil {
            finished = true
            let (message, line, column) = error ?? ("the parser stopped", Int(xmlSAX2GetLineNumber(context)), Int(xmlSAX2GetColumnNumber(context)))
            throw .malformedXML(path: label, line: line, column: column, message: message)
        }
        return !finished
    }

    /// Parses the whole part.
    func parseAll() throws(ReaderError) {
        while try parseNextChunk() {}
    }
}
