import HatifAPI
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

    @Test("heads found in the cache are the heads a fresh parse finds, whatever the order of lines")
    func cachedHeadsMatchFreshParses() throws {
        // Heads that start with one another, or differ only after their first 16 bytes, or hold a quoted `:`.
        let heads = [
            "TEL", "TEL;TYPE=CELL", "TEL;TYPE=CELL;PREF=1", "item1.TEL", "item1.TEL;TYPE=CELL", "item1.X-ABLabel",
            "X-SALESFORCE-CUSTOM-A", "X-SALESFORCE-CUSTOM-AB", "X-A;P=\"a:b\"", "EMAIL", "N", "FN",
        ]
        var cache = VCardHeadCache()
        var seed: UInt64 = 20_261_204
        for _ in 0..<20_000 {
            // A fixed order most of the time, as cards repeat theirs; any head now and then.
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let pick = Int(seed >> 33)
            let head = heads[pick % 7 == 0 ? (pick >> 3) % heads.count : (pick >> 3) % 3 + (pick % 2) * 3]
            let line = head + ":value" + (pick % 5 == 0 ? ":with:colons" : "")
            let found = try #require(Self.head(line, in: &cache), "\(line)")
            let end = try #require(Array(line.utf8).withUnsafeBufferPointer { VCardContentLine.headEnd(of: $0) })
            let fresh = try #require(Array(line.utf8[..<line.utf8.index(line.utf8.startIndex, offsetBy: end)]).withUnsafeBufferPointer {
                VCardContentLine(head: $0)
            })
            #expect(Int(found.valueOffset) == end + 1, "\(line)")
            let parsed = cache.line(found)
            #expect(parsed.name == fresh.name && parsed.group == fresh.group && parsed.parameters == fresh.parameters, "\(line)")
        }
    }

    @Test("a line's prefix is its first 16 bytes before any colon, padded with zeros, for every length")
    func prefixesOfLines() {
        var random = SeededGenerator(seed: 16)
        let alphabet: [UInt8] = [0x3A, 0x00, 0x3B, 0x3D, 0xC3, 0xA9]
        for round in 0..<20_000 {
            let length = round % 24
            let bytes = (0..<length).map { _ in
                Int.random(in: 0..<5, using: &random) == 0 ? alphabet.randomElement(using: &random) ?? 0 : UInt8.random(in: 0x41...0x5A, using: &random)
            }
            // The reference: byte by byte, as the cache took prefixes before it loaded words.
            var expected: (UInt64, UInt64) = (0, 0)
            for (index, byte) in bytes.prefix(16).enumerated() {
                if byte == UInt8(ascii: ":") { break }
                if index < 8 { expected.0 |= UInt64(byte) << UInt64(8 * index) } else { expected.1 |= UInt64(byte) << UInt64(8 * (index - 8)) }
            }
            let prefix = bytes.withUnsafeBufferPointer { VCardHeadCache.prefix(of: $0) }
            #expect(prefix == expected, "\(bytes)")
        }
    }
}
