import CLibXML2

/// What the XML readers take from one of libxml2's error reports.
enum LibXMLError {
    /// Whether the report is an error or worse (not a warning).
    static func isError(_ error: xmlError) -> Bool { error.level.rawValue >= XML_ERR_ERROR.rawValue }

    /// Its message, trimmed.
    static func message(_ error: xmlError) -> String {
        error.message.map { String(cString: $0).trimmingWhitespace() } ?? "unknown error"
    }

    /// Its line and column in the document; nil for an error inside an entity's text (no file), which
    /// counts lines in that text: the parser's own position serves instead.
    static func position(_ error: xmlError) -> (line: Int, column: Int)? {
        error.file == nil ? nil : (Int(error.line), Int(error.int2))
    }
}
