/// Caps on what a compressed input (a .gz, a zip entry, an XLSX part) may inflate to, so a zip bomb ends
/// its input with an error instead of filling the disk or memory.
///
/// A real export compresses 5:1 to 30:1 (a sheet's XML of repeated styles, a CSV of similar rows); the
/// deflate format itself cannot pass about 1,032:1, which is what a bomb made of zeros reaches.
public struct ArchiveLimits: Sendable, Equatable {
    /// The most bytes one entry or .gz file may inflate to. Default 16 GiB (a 5,000,000-row sheet is
    /// about 2 GiB of XML).
    public var maxInflatedBytes: Int64
    /// The highest ratio of inflated to compressed bytes. Default 200.
    public var maxRatio: Int64
    /// The ratio is checked once this many bytes were inflated (a small file of repeated text may be
    /// very compressible, and harmless). Default 16 MiB.
    public var ratioCheckedAfter: Int64
    /// The most entries a zip's central directory may list. Default 100,000.
    public var maxEntries: Int

    /// Creates limits; every parameter has the documented default.
    public init(maxInflatedBytes: Int64 = 16 << 30, maxRatio: Int64 = 200, ratioCheckedAfter: Int64 = 16 << 20, maxEntries: Int = 100_000) {
        self.maxInflatedBytes = maxInflatedBytes
        self.maxRatio = maxRatio
        self.ratioCheckedAfter = ratioCheckedAfter
        self.maxEntries = maxEntries
    }

    /// Why `inflated` bytes out of `compressed` break the limits, or nil when they do not.
    func violation(inflated: Int64, compressed: Int64) -> String? {
        if inflated > maxInflatedBytes {
            return "it inflates to more than \(maxInflatedBytes) bytes, the cap for one entry (a zip bomb?)"
        }
        if inflated > ratioCheckedAfter && inflated > maxRatio * max(1, compressed) {
            return "it inflates more than \(maxRatio) times its compressed size, the cap (a zip bomb?)"
        }
        return nil
    }
}
