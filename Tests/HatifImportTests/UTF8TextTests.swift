import CByteScan
import HatifAPI
import Testing

@testable import HatifImport

@Suite("UTF-8 checks on the readers' hot path")
struct UTF8TextTests {
    /// `bytes` checked sixteen at a time (SSSE3), or nil on a processor without it.
    static func blockCheck(_ bytes: [UInt8]) -> Bool? {
        guard UTF8Text.checksInBlocks else { return nil }
        return bytes.withUnsafeBufferPointer { hatif_utf8_is_valid_ssse3($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) == 1 }
    }

    /// The bytes that decide UTF-8's rules: ASCII, each continuation range's ends, every lead's edges.
    static let edgeBytes: [UInt8] = [
        0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0,
        0xF1, 0xF3, 0xF4, 0xF5, 0xF7, 0xF8, 0xFF,
    ]

    @Test(
        "every pair of bytes, at every place in a sixteen-byte block and across two, is judged as byte by byte",
        .enabled(if: UTF8Text.checksInBlocks, "the block check needs SSSE3"))
    func everyPairOfBytes() {
        var wrong = 0
        for first in 0...255 {
            for second in 0...255 {
                for offset in [0, 7, 14, 15, 16, 30] {
                    for after in [0, 1, 3] {
                        let bytes = [UInt8](repeating: 0x41, count: offset) + [UInt8(first), UInt8(second)] + [UInt8](repeating: 0x80, count: after)
                        let expected = Self.firstInvalidByteByByte(bytes) == nil
                        if Self.blockCheck(bytes) != expected { wrong += 1 }
                    }
                }
            }
        }
        #expect(wrong == 0)
    }

    @Test("texts of UTF-8's edge bytes, up to 150 bytes long, are judged as byte by byte")
    func edgeTexts() async {
        var generator = SeededGenerator(seed: 9)
        var valid = 0
        for round in 0..<200_000 {
            if round % 1024 == 1023 { await Task.yield() }  // CPU-bound for seconds: see PlanEntryTextTests.sameBytes
            let count = Int.random(in: 0...150, using: &generator)
            var bytes: [UInt8] = []
            while bytes.count < count {
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: bytes.append(Self.edgeBytes.randomElement(using: &generator)!)
                case 1: bytes += Array(["é", "✓", "𝄞", "س", "\u{10FFFF}", "\u{FFFF}", "\u{D7FF}", "\u{E000}", "\u{80}", "\u{800}", "\u{10000}"].randomElement(using: &generator)!.utf8)
                default: bytes += (0..<Int.random(in: 1...9, using: &generator)).map { _ in UInt8.random(in: 0x20...0x7E, using: &generator) }
                }
            }
            let expected = Self.firstInvalidByteByByte(bytes) == nil
            if expected { valid += 1 }
            if let blocks = Self.blockCheck(bytes) { #expect(blocks == expected, "\(bytes)") }
            #expect(bytes.withUnsafeBufferPointer(UTF8Text.isValidRun) == expected, "\(bytes)")
        }
        #expect(valid > 20_000 && valid < 180_000, "both kinds are tried: \(valid) valid")
    }

    /// The first byte that breaks UTF-8, one byte at a time: the reference for the word-at-a-time check.
    static func firstInvalidByteByByte(_ bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length: Int
            switch lead {
            case 0..<0x80: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return index
            }
            guard index + length <= bytes.count else { return index }
            for offset in 1..<max(length, 1) where bytes[index + offset] & 0xC0 != 0x80 { return index }
            if length > 1 {
                let second = bytes[index + 1]
                if (lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) || (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F) {
                    return index
                }
            }
            index += length
        }
        return nil
    }

    @Test("UTF-8 validation finds the first broken byte wherever it falls in an ASCII run, as a byte-by-byte check does")
    func utf8ValidationAgainstByteByByte() {
        var generator = SeededGenerator(seed: 8)
        let pieces: [[UInt8]] = [
            Array("é".utf8), Array("✓".utf8), Array("𝄞".utf8), Array("س".utf8), [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
            [0xE2, 0x9C], [0x80], [0xFF], [0xF0, 0x9F, 0x98],
        ]
        var broken = 0
        for _ in 0..<50_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                bytes += (0..<Int.random(in: 0...40, using: &generator)).map { _ in UInt8.random(in: 0x20...0x7E, using: &generator) }
                if Int.random(in: 0..<3, using: &generator) > 0 {
                    bytes += Int.random(in: 0..<4, using: &generator) == 0 ? pieces.randomElement(using: &generator)! : pieces[Int.random(in: 0..<4, using: &generator)]
                }
            }
            let expected = Self.firstInvalidByteByByte(bytes)
            if expected != nil { broken += 1 }
            #expect(bytes.withUnsafeBufferPointer { UTF8Text.firstInvalidIndex($0) } == expected, "\(bytes)")
        }
        #expect(broken > 5_000 && broken < 45_000, "both kinds are tried: \(broken) broken")
    }
}
