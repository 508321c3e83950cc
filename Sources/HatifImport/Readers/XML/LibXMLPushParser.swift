import CLibXML2

/// libxml2's SAX2 push parser over a file, fed one chunk at a time, its events handed to an
/// ``XMLRecordCollector``; opened safely: no network, no DTD or external entity loading (the loader
/// refuses them), internal entities expanded within libxml2's limits on depth, text size and entity
/// amplification.
///
/// The SAX2 interface is libxml2's leanest streaming one: `xmlTextReader` builds and frees a node for
/// every event, which by itself took most of the time a record may cost.
final class LibXMLPushParser {
    static let chunkSize = 64 * 1024
    /// The deepest nesting read, as libxml2's own limit for documents it builds (a SAX parser has none).
    static let maxDepth = 256

    static let parseOptions = Int32(
        XML_PARSE_NONET.rawValue | XML_PARSE_NOENT.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_NOBLANKS.rawValue
            | XML_PARSE_BIG_LINES.rawValue)

    /// Refuses every external entity and DTD: the readers never touch a file or the network beyond the input.
    static let blockExternalEntities: Void = {
        xmlSetExternalEntityLoader { _, _, _ in nil }
    }()

    /// The first error libxml2 reported.
    private(set) var error: (message: String, line: Int, column: Int)?
    /// The collector, changed by every event: held by pointer, since a class's stored property would cost
    /// a dynamic exclusivity check per event, more than the event's own work.
    let collector: UnsafeMutablePointer<XMLRecordCollector>
    private let file: InputFile
    private let context: xmlParserCtxtPtr
    private var offset: Int64 = 0
    private var chunk: [UInt8] = []
    private(set) var finished = false

    init(path: String, collector: XMLRecordCollector) throws(ReaderError) {
        _ = Self.blockExternalEntities
        file = try InputFile(path: path)
        self.collector = .allocate(capacity: 1)
        self.collector.initialize(to: collector)
        // The default SAX2 handlers keep the DTD's entity declarations; the record events are ours. The
        // parser takes a copy of the handlers.
        var handler = Self.handler { context, bytes, length in
            guard let bytes else { return }
            LibXMLPushParser.with(context) { $0.collector.pointee.characters(UnsafeBufferPointer(start: bytes, count: Int(length))) }
        }
        handler.startElementNs = { context, localName, _, _, _, _, attributeCount, _, attributes in
            guard let localName else { return }
            LibXMLPushParser.with(context) { parser in
                guard parser.collector.pointee.depth < LibXMLPushParser.maxDepth else {
                    parser.stop("elements are nested deeper than \(LibXMLPushParser.maxDepth) levels")
                    return
                }
                // The position reads libxml2's context, not the parser: capturing the parser retained it on
                // every element.
                parser.collector.pointee.startElement(localName, attributes: attributes, count: Int(attributeCount)) {
                    (Int(xmlSAX2GetLineNumber(context)), Int64(xmlByteConsumed(context?.assumingMemoryBound(to: xmlParserCtxt.self))))
                }
            }
        }
        handler.endElementNs = { context, _, _, _ in LibXMLPushParser.with(context) { $0.collector.pointee.endElement() } }
        handler.getEntity = { context, name in
            let entity = xmlSAX2GetEntity(context, name)
            if let entity, let name, entity.pointee.etype == XML_EXTERNAL_GENERAL_PARSED_ENTITY {
                LibXMLPushParser.with(context) { $0.collector.pointee.note("external entity &\(String(cString: name)); was not loaded") }
            }
            return entity
        }
        handler.serror = { context, error in
            guard let error, LibXMLError.isError(error.pointee) else { return }
            LibXMLPushParser.with(context) { parser in
                parser.keepFirstError(parser.describe(error.pointee), at: LibXMLError.position(error.pointee))
            }
        }
        guard let context = xmlCreatePushParserCtxt(&handler, nil, nil, 0, path) else {
            self.collector.deinitialize(count: 1)
            self.collector.deallocate()
            throw .cannotOpen(path: path, reason: "libxml2 could not open it")
        }
        self.context = context
        xmlCtxtUseOptions(context, Self.parseOptions)
        context.pointee._private = Unmanaged.passUnretained(self).toOpaque()
    }

    /// libxml2's default SAX2 handlers (which keep the DTD's entity declarations) with `characters` for text
    /// and CDATA, and white space between elements, comments and processing instructions dropped.
    static func handler(characters: charactersSAXFunc) -> xmlSAXHandler {
        var handler = xmlSAXHandler()
        xmlSAXVersion(&handler, 2)
        handler.characters = characters
        handler.cdataBlock = characters
        handler.ignorableWhitespace = { _, _, _ in }
        handler.comment = { _, _ in }
        handler.processingInstruction = { _, _, _ in }
        return handler
    }

    deinit {
        if let document = context.pointee.myDoc { xmlFreeDoc(document) }
        xmlFreeParserCtxt(context)
        collector.deinitialize(count: 1)
        collector.deallocate()
    }

    /// Calls `body` with the parser of a SAX callback's context (libxml2's parser context, which points
    /// back at it), without retaining it: it outlives every callback.
    @inline(__always)
    private static func with(_ context: UnsafeMutableRawPointer?, _ body: (LibXMLPushParser) -> Void) {
        guard let context, let owner = context.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private else { return }
        Unmanaged<LibXMLPushParser>.fromOpaque(owner)._withUnsafeGuaranteedRef(body)
    }

    /// The message of `error`. libxml2 2.9's push parser reports a document that ends with elements still
    /// open (a download or an export cut short) as "Extra content at the end of the document", which
    /// sends a user looking for content that is not there: such an end is said as what it is.
    private func describe(_ error: xmlError) -> String {
        let open = Int(context.pointee.nameNr)
        guard finished, error.code == Int32(XML_ERR_DOCUMENT_END.rawValue), open > 0 else { return LibXMLError.message(error) }
        let name = context.pointee.name.map { "<\(String(cString: $0))>" } ?? "an element"
        guard open > 1 else { return "the file ends before \(name) is closed: it looks cut short" }
        return "the file ends inside \(name), with \(open) elements still open: it looks cut short"
    }

    /// Stops the parse at the current position with `message`.
    private func stop(_ message: String) {
        keepFirstError(message, at: nil)
        xmlStopParser(context)
    }

    /// Keeps `message` as ``error`` unless one came first, at `position` or else the parser's own.
    private func keepFirstError(_ message: String, at position: (line: Int, column: Int)?) {
        guard error == nil else { return }
        let (line, column) = position ?? (Int(xmlSAX2GetLineNumber(context)), Int(xmlSAX2GetColumnNumber(context)))
        error = (message, line, column)
    }

    /// Parses the next chunk of the file (the end of the document after the last); false when the parser
    /// stopped at an error (see ``error``).
    func parseNextChunk() throws(ReaderError) -> Bool {
        guard !finished else { return true }
        let count = try file.read(at: offset, count: Self.chunkSize, into: &chunk)
        offset += Int64(count)
        // Before parsing: the error callback tells a document cut short by the end having been reached.
        if count == 0 { finished = true }
        let status = Self.parse(chunk, count: count, with: context)
        if status != 0 || context.pointee.wellFormed == 0 {
            finished = true
            keepFirstError("the parser stopped", at: nil)
            return false
        }
        return true
    }

    /// Parses the first `count` bytes of `chunk` with `context`; no bytes end the document. libxml2's status.
    static func parse(_ chunk: [UInt8], count: Int, with context: xmlParserCtxtPtr) -> Int32 {
        chunk.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { xmlParseChunk(context, $0.baseAddress, Int32(count), count == 0 ? 1 : 0) }
        }
    }
}
