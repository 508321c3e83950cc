/// How to read an XML file; every member has a documented default.
public struct XMLOptions: Sendable, Equatable {
    /// The path of the record element from the root, e.g. `export/people/person` (prefixes ignored); nil
    /// detects it as the most repeated element path that has children or attributes. Default nil.
    public var recordPath: String?
    /// Longest value kept, in bytes; longer makes its record a reject. Default 1 MiB.
    public var maxValueBytes: Int
    /// Elements looked at to detect the record path. Default 20,000.
    public var detectionElements: Int

    /// Creates options; every parameter has the documented default.
    public init(recordPath: String? = nil, maxValueBytes: Int = 1 << 20, detectionElements: Int = 20_000) {
        self.recordPath = recordPath
        self.maxValueBytes = maxValueBytes
        self.detectionElements = detectionElements
    }
}
