import HatifAPI
import Testing

@testable import HatifImport

@Suite("Byte finder")
struct ByteFinderTests {
    /// Random buffers of every length around the 64-byte block, from every start, over an alphabet dense in
    /// the sought bytes and with bytes that are not ASCII.
    private static func buffers(seed: UInt64) -> [[UInt8]] {
        var random = SeededGenerator(seed: seed)
        let alphabet: [UInt8] = [0x2C, 0x22, 0x0A, 0x0D, 0x41, 0x61, 0x3A, 0x3B, 0x80, 0xD9, 0xFF, 0x00, 0x09]
        var buffers: [[UInt8]] = []
        for length in Array(0...140) + [255, 256, 257, 1000] {
            for _ in 0..<4 {
                // Sparse and dense: some buffers are mostly one plain byte, so the sought ones fall far in.
                let dense = Bool.random(using: &random)
                buffers.append(
                    (0..<length).map { _ in
                        dense || Int.random(in: 0..<40, using: &random) == 0
                            ? alphabet.randomElement(using: &random) ?? 0 : UInt8(ascii: "x")
                    })
            }
        }
        return buffers
    }

    @Test("the first sought byte is found where a byte-by-byte look finds it, at every length and start", arguments: [UInt64(1), 2])
    func firstIndexMatchesALoop(seed: UInt64) async {
        // A NUL sought too: the last bytes are looked at in a block padded with NULs, which must not count.
        for sought in [[0x0A, 0x0D, 0x3A], [0x00, 0x22]] as [[UInt8]] {
            let finder = ByteFinder(sought[0], sought[1], sought.count > 2 ? sought[2] : nil)
            for buffer in Self.buffers(seed: seed) {
                await Task.yield()  // CPU-bound for seconds: see PlanEntryTextTests.sameBytes
                buffer.withUnsafeBufferPointer { bytes in
                    for start in 0...bytes.count {
                        let expected = bytes[start...].firstIndex { sought.contains($0) } ?? bytes.count
                        let found = finder.firstIndex(in: bytes, from: start)
                        if found != expected { Issue.record("\(sought), length \(bytes.count), start \(start): \(found) instead of \(expected)") }
                    }
                }
            }
        }
    }

    @Test("one scan tells every delimiter before the first stop, the stop and whether the run is ASCII, as a loop does", arguments: [UInt64(3), 4])
    func scanMatchesALoop(seed: UInt64) {
        let finder = ByteFinder(0x22, 0x0A, 0x0D)
        for buffer in Self.buffers(seed: seed) {
            buffer.withUnsafeBufferPointer { bytes in
                // A NUL delimiter: the last bytes are looked at in a block padded with NULs, which must not count.
                let nuls = finder.scan(bytes, from: 0, delimiter: 0x00) { _ in true }.map(\.end)
                var nulsSeen: [Int] = []
                _ = finder.scan(bytes, from: 0, delimiter: 0x00) { nulsSeen.append($0); return true }
                let nulEnd = bytes.firstIndex { $0 == 0x22 || $0 == 0x0A || $0 == 0x0D } ?? bytes.count
                #expect(nuls == nulEnd && nulsSeen == (0..<nulEnd).filter { bytes[$0] == 0x00 })
                for start in stride(from: 0, through: bytes.count, by: 3) {
                    let end = bytes[start...].firstIndex { $0 == 0x22 || $0 == 0x0A || $0 == 0x0D } ?? bytes.count
                    let delimiters = (start..<end).filter { bytes[$0] == 0x2C }
                    let ascii = bytes[start..<end].allSatisfy { $0 < 0x80 }
                    var seen: [Int] = []
                    let scan = finder.scan(bytes, from: start, delimiter: 0x2C) { seen.append($0); return true }
                    if scan?.end != end || scan?.isASCII != ascii || seen != delimiters {
                        Issue.record("length \(bytes.count), start \(start): \(String(describing: scan)), \(seen)")
                    }
                }
                // A body that stops at the second delimiter ends the scan with nil.
                var calls = 0
                let stopped = finder.scan(bytes, from: 0, delimiter: 0x2C) { _ in
                    calls += 1
                    return calls < 2
                }
                let end = bytes.firstIndex { $0 == 0x22 || $0 == 0x0A || $0 == 0x0D } ?? bytes.count
                let expectedCalls = min(2, bytes[..<end].filter { $0 == 0x2C }.count)
                #expect((stopped == nil) == (expectedCalls == 2) && calls == expectedCalls)
            }
        }
    }

    @Test("up to eight bytes read as a word put byte i in lane i and zeros past them, for every count")
    func wordsOfShortRuns() {
        var random = SeededGenerator(seed: 8)
        for round in 0..<2_000 {
            let count = round % 9
            // The bytes after the run are not zero, so a read past it would show.
            let bytes = (0..<16).map { _ in UInt8.random(in: 1...255, using: &random) }
            var expected: UInt64 = 0
            for index in 0..<count { expected |= UInt64(bytes[index]) << UInt64(8 * index) }
            let word = bytes.withUnsafeBufferPointer { ByteFinder.word($0.baseAddress!, count: count) }
            #expect(word == expected, "\(count): \(bytes)")
        }
    }
}
