/// A reader of one input file: yields records and rejects in file order, then nil.
public protocol RecordReader {
    /// The next record or reject; nil at the end of the file.
    mutating func next() throws(ReaderError) -> ReadItem?
    /// What the reader passed over at the end of the file (a footer after a table), known once ``next()``
    /// returned nil.
    var endNotices: [String] { get }
}

extension RecordReader {
    /// None, unless a reader says otherwise.
    public var endNotices: [String] { [] }
}
