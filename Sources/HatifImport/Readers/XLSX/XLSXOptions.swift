/// How to read an XLSX workbook; every member has a documented default. The header row is the CSV
/// reader's setting (``CSVOptions/header``).
public struct XLSXOptions: Sendable, Equatable {
    /// The sheet: its name, or its 1-based position; nil reads the first. Default nil.
    public var sheet: String?
    /// Caps on what its parts may inflate to. Default ``ArchiveLimits/init(maxInflatedBytes:maxRatio:ratioCheckedAfter:maxEntries:)``.
    public var limits: ArchiveLimits
    /// Bytes of shared strings kept in memory before they are spilled to a temporary file. Default 32 MiB.
    public var sharedStringsBudget: Int

    /// Creates options; every parameter has the documented default.
    public init(sheet: String? = nil, limits: ArchiveLimits = ArchiveLimits(), sharedStringsBudget: Int = 32 << 20) {
        self.sheet = sheet
        self.limits = limits
        self.sharedStringsBudget = sharedStringsBudget
    }
}
