import CLibXML2

/// Finds the record element of an XML export: the most repeated element path that has child elements (or
/// only attributes), below the root; ties go to the shallower path.
///
/// It reads the file's first elements with libxml2's SAX2 push parser, as the reader does, so that every
/// element before a well-formedness error is counted: `xmlTextReader`, used before, gave nothing of a chunk
/// with an error in it, and a small file with one broken record lost its good ones to a failed detection.
/// Entities are not expanded, and the loader refuses external ones (``LibXMLPushParser``).
enum XMLRecordPathDetector {
    private struct Tally {
        var count = 0
        var depth = 0
        var hasChildren = false
        var hasAttributes = false
        var hasText = false
    }

    /// What the SAX callbacks gather, reached through the parser context's `_private`.
    private final class State {
        let elementLimit: Int
        var tallies: [String: Tally] = [:]
        /// The open elements' paths from the root, innermost last.
        var paths: [String] = []
        /// Local names by libxml2's interned pointer: each name is made once.
        var names: [UnsafeRawPointer: String] = [:]
        var elements = 0
        var stopped = false
        var error: (message: String, line: Int, column: Int)?

        init(elementLimit: Int) { self.elementLimit = elementLimit }

        func name(_ pointer: UnsafePointer<xmlChar>) -> String {
            let key = UnsafeRawPointer(pointer)
            if let name = names[key] { return name }
            let name = String(cString: pointer)
            names[key] = name
            return name
        }
    }

    static func detect(path: String, elementLimit: Int) throws(ReaderError) -> [String]? {
        _ = LibXMLPushParser.blockExternalEntities
        let file = try InputFile(path: path)
        let state = State(elementLimit: elementLimit)
        var handler = LibXMLPushParser.handler { context, bytes, length in
            guard let bytes, let state = XMLRecordPathDetector.state(context), let current = state.paths.last else { return }
            if !XMLRecordCollector.isXMLWhitespace(UnsafeBufferPointer(start: bytes, count: Int(length))) {
                state.tallies[current]?.hasText = true
            }
        }
        handler.startElementNs = { context, localName, _, _, _, _, attributeCount, _, _ in
            guard let localName, let state = XMLRecordPathDetector.state(context), !state.stopped else { return }
            if let parent = state.paths.last { state.tallies[parent]?.hasChildren = true }
            let name = state.name(localName)
            let path = state.paths.last.map { $0 + "/" + name } ?? name
            state.paths.append(path)
            state.tallies[path, default: Tally(depth: state.paths.count)].count += 1
            if attributeCount > 0 { state.tallies[path]?.hasAttributes = true }
            state.elements += 1
            if state.elements >= state.elementLimit || state.paths.count >= LibXMLPushParser.maxDepth {
                state.stopped = true
                xmlStopParser(context?.assumingMemoryBound(to: xmlParserCtxt.self))
            }
        }
        handler.endElementNs = { context, _, _, _ in
            guard let state = XMLRecordPathDetector.state(context), !state.stopped else { return }
            _ = state.paths.popLast()
        }
        // Entities are not expanded here: a reference is no node of a tree (none is built).
        handler.reference = { _, _ in }
        handler.serror = { context, error in
            guard let error, LibXMLError.isError(error.pointee), let state = XMLRecordPathDetector.state(context), state.error == nil
            else { return }
            let parser = context?.assumingMemoryBound(to: xmlParserCtxt.self)
            let (line, column) =
                LibXMLError.position(error.pointee) ?? (Int(xmlSAX2GetLineNumber(parser)), Int(xmlSAX2GetColumnNumber(parser)))
            state.error = (LibXMLError.message(error.pointee), line, column)
        }
        guard let context = xmlCreatePushParserCtxt(&handler, nil, nil, 0, path) else {
            throw .cannotOpen(path: path, reason: "libxml2 could not open it")
        }
        defer {
            if let document = context.pointee.myDoc { xmlFreeDoc(document) }
            xmlFreeParserCtxt(context)
        }
        xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_BIG_LINES.rawValue))
        try withExtendedLifetime(state) { () throws(ReaderError) in
            context.pointee._private = Unmanaged.passUnretained(state).toOpaque()
            var chunk: [UInt8] = []
            var offset: Int64 = 0
            while !state.stopped && state.error == nil {
                let count = try file.read(at: offset, count: LibXMLPushParser.chunkSize, into: &chunk)
                offset += Int64(count)
                let status = LibXMLPushParser.parse(chunk, count: count, with: context)
                if status != 0 && !state.stopped && state.error == nil {
                    state.error = ("the parser stopped", Int(xmlSAX2GetLineNumber(context)), Int(xmlSAX2GetColumnNumber(context)))
                }
                if count == 0 || status != 0 { break }
            }
            context.pointee._private = nil
        }
        if state.tallies.isEmpty, let error = state.error {
            throw .malformedXML(path: path, line: error.line, column: error.column, message: error.message)
        }
        let candidates = state.tallies.filter { $0.value.depth >= 2 && ($0.value.hasChildren || ($0.value.hasAttributes && !$0.value.hasText)) }
        let best = candidates.max { left, right in
            if left.value.count != right.value.count { return left.value.count < right.value.count }
            return left.value.depth > right.value.depth
        }
        return best.map { $0.key.split(separator: "/").map(String.init) }
    }

    /// The state of a SAX callback's context (libxml2's parser context, which points at it).
    private static func state(_ context: UnsafeMutableRawPointer?) -> State? {
        guard let owner = context?.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private else { return nil }
        return Unmanaged<State>.fromOpaque(owner).takeUnretainedValue()
    }
}
