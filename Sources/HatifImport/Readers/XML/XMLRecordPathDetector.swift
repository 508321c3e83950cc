import CLibXML2

/// Finds the record element of an XML export: the most repeated element path that has child elements (or
/// only attributes), below the root; ties go to the shallower path.
enum XMLRecordPathDetector {
    private struct Tally {
        var count = 0
        var depth = 0
        var hasChildren = false
        var hasAttributes = false
        var hasText = false
    }

    static func detect(path: String, elementLimit: Int) throws(ReaderError) -> [String]? {
        let xml = try LibXMLTextReader(path: path)
        var tallies: [String: Tally] = [:]
        var stack: [String] = []
        var paths: [String] = []
        var elements = 0
        while elements < elementLimit {
            guard let more = xml.read() else {
                if tallies.isEmpty {
                    let position = xml.parserPosition
                    throw .malformedXML(
                        path: path, line: xml.errors.line > 0 ? xml.errors.line : position.line,
                        column: xml.errors.column > 0 ? xml.errors.column : position.column,
                        message: xml.errors.message ?? "the parser stopped")
                }
                break
            }
            guard more else { break }
            switch xml.nodeType {
            case .element?:
                elements += 1
                let depth = xml.depth
                stack.removeLast(max(0, stack.count - depth))
                paths.removeLast(max(0, paths.count - depth))
                if let parent = paths.last { tallies[parent]?.hasChildren = true }
                stack.append(xml.localName)
                let joined = stack.joined(separator: "/")
                paths.append(joined)
                tallies[joined, default: Tally(depth: stack.count)].count += 1
                if xmlTextReaderHasAttributes(xml.reader) == 1 { tallies[joined]?.hasAttributes = true }
                if xml.isEmptyElement {
                    stack.removeLast()
                    paths.removeLast()
                }
            case .text?, .cdata?:
                if let current = paths.last, let value = xml.value, value.contains(where: { !$0.isWhitespace }) {
                    tallies[current]?.hasText = true
                }
            case .endElement?:
                stack.removeLast(max(0, stack.count - xml.depth))
                paths.removeLast(max(0, paths.count - xml.depth))
            default:
                continue
            }
        }
        let candidates = tallies.filter { $0.value.depth >= 2 && ($0.value.hasChildren || ($0.value.hasAttributes && !$0.value.hasText)) }
        let best = candidates.max { left, right in
            if left.value.count != right.value.count { return left.value.count < right.value.count }
            return left.value.depth > right.value.depth
        }
        return best.map { $0.key.split(separator: "/").map(String.init) }
    }
}
