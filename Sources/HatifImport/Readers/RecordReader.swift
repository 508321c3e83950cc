/// A reader of one input file: yields records and rejects in file order, then nil.
public protocol RecordReader {
    /// The next record or reject; nil at the end of the file.
    mutating func next() throws(ReaderError) -> ReadItem?
}
