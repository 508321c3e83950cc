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

    @Test("a head parsed for one line only is refused once a later lookup has replaced it")
    func staleUncachedHeadIsRefused() async {
        await #expect(processExitsWith: .failure) {
            var full = VCardHeadCacheTests.fullCache()
            guard let first = VCardHeadCacheTests.head("NOTE:first", in: &full) else { return }
            _ = VCardHeadCacheTests.head("TITLE:second", in: &full)
            _ = full.line(first)
        }
    }
}
