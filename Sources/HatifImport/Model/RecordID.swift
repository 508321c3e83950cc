/// One record of a run, the same for every stage, the checkpoint and the results: which input file (its
/// index among the run's files) and the record's ordinal in that file (1 for the first).
public struct RecordID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The input file, as an index into the run's files.
    public var fileIndex: Int
    /// The record's ordinal in its file, from 1.
    public var ordinal: Int

    /// Creates an identity.
    public init(fileIndex: Int, ordinal: Int) {
        self.fileIndex = fileIndex
        self.ordinal = ordinal
    }

    public static func < (lhs: RecordID, rhs: RecordID) -> Bool { (lhs.fileIndex, lhs.ordinal) < (rhs.fileIndex, rhs.ordinal) }

    /// `2#1043`: file index and ordinal.
    public var description: String { "\(fileIndex)#\(ordinal)" }
}
