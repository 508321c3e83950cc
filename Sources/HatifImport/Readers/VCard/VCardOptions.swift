/// How to read a vCard file; every member has a documented default.
public struct VCardOptions: Sendable, Equatable {
    /// Longest property value kept, in bytes, after unfolding; longer makes its card a reject (binary
    /// PHOTO, LOGO, SOUND and KEY values are skipped whatever their size). Default 1 MiB.
    public var maxValueBytes: Int
    /// Most properties in one card; more makes it a reject. Default 10,000.
    public var maxProperties: Int

    /// Creates options; every parameter has the documented default.
    public init(maxValueBytes: Int = 1 << 20, maxProperties: Int = 10_000) {
        self.maxValueBytes = maxValueBytes
        self.maxProperties = maxProperties
    }
}
