/// Where a record starts in its input: file, physical line (1-based) and byte offset.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file as the user named it.
    public var file: String
    /// The physical line the record starts on, 1-based.
    public var line: Int
    /// The byte offset of the record's first byte in the file (resume starts here).
    public var byteOffset: Int64

    /// Creates a location.
    public init(file: String, line: Int, byteOffset: Int64) {
        self.file = file
        self.line = line
        self.byteOffset = byteOffset
    }

    /// `file:line`, the way rejects name records.
    public var description: String { "\(file):\(line)" }
}
