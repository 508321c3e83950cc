/// Where a run reads next: a file of the run's inputs and a position in it (nil: its start). After the
/// last file, `fileIndex` is the number of files.
public struct RunPosition: Sendable, Hashable, Codable {
    /// The file, as an index into the run's files.
    public var fileIndex: Int
    /// The first record not yet read in that file; nil for the file's start.
    public var position: ReadPosition?

    /// Creates a position.
    public init(fileIndex: Int = 0, position: ReadPosition? = nil) {
        self.fileIndex = fileIndex
        self.position = position
    }

    /// The start of the first file.
    public static let start = RunPosition()

    /// Whether the run has read anything before this position.
    public var isStart: Bool { fileIndex == 0 && position == nil }
}
