import Testing

@testable import HatifImport

@Suite("vCard head cache")
struct VCardHeadCacheTests {
    /// The head of `line`, looked up in `cache`.
    private static func head(_ line: String, in cache: inout VCardHeadCache) -> VCardHeadCache.Head? {
        Array(line.utf8).withUnsafeBufferPointer { cache.head(of: $0) }
    }

    /// A cache with every place taken.
    private static func fullCache() -> VCardHeadCache {
        var cache = VCardHeadCache()
        for number in 0..<VCardHeadCache.capacity { _ = head("X-FIELD\(number):value", in: &cache) }
        return cache
    }

    @Test("a head gives its parsed line by number, cached or parsed for its line only")
    func linesByNumber() throws {
        var cache = VCardHeadCache()
        let tel = try #require(Self.head("item1.TEL;TYPE=CELL:+966500111222", in: &cache))
        let mail = try #require(Self.head("EMAIL;TYPE=INTERNET:a@b.co", in: &cache))
        #expect(tel.number == 0 && mail.number == 1)
        #expect(cache.line(tel).name == "TEL" && cache.line(mail).name == "EMAIL")
        var full = Self.fullCache()
        let extra = try #require(Self.head("NOTE:not cached", in: &full))
        #expect(extra.number == nil)
        #expect(full.line(extra).name == "NOTE")
    }

    /// `line(_:)` stops the process on a head that is not current. An exit test proved that by crashing a
    /// child test process, until a CI run with it hung (exit tests are known to hang on some Linux hosts,
    /// swift-testing#1140); the check that `line(_:)` makes is tested instead.
    @Test("a head parsed for one line only is no longer current once a later lookup has replaced it")
    func staleUncachedHeadIsNotCurrent() throws {
        var full = Self.fullCache()
        let first = try #require(Self.head("NOTE:first", in: &full))
        #expect(full.isCurrent(first))
        #expect(full.line(first).name == "NOTE")
        let cached = try #require(Self.head("X-FIELD0:again", in: &full))
        #expect(full.isCurrent(first), "a lookup that finds a cached head replaces nothing")
        let second = try #require(Self.head("TITLE:second", in: &full))
        #expect(!full.isCurrent(first))
        #expect(full.isCurrent(second) && full.isCurrent(cached))
        #expect(full.line(second).name == "TITLE")
    }
}
