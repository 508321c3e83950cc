import HatifAPI
import Foundation
import Testing

@testable import HatifImport

@Suite("Physical line reader")
struct PhysicalLineReaderTests {
    /// One line as a test compares it.
    private struct Line: Equatable {
        var bytes: [UInt8]
        var number: Int
        var offset: Int64
        var length: Int
        var truncated: Bool
    }

    /// The lines of `bytes` split the plain way: LF, CR or CRLF ends a line; at most `cap` bytes kept.
    private static func expected(_ bytes: [UInt8], cap: Int) -> [Line] {
        var lines: [Line] = []
        var start = 0
        var index = 0
        func end(at terminator: Int, next: Int) {
            let length = terminator - start
            lines.append(
                Line(
                    bytes: Array(bytes[start..<(start + min(length, cap))]), number: lines.count + 1, offset: Int64(start), length: length,
                    truncated: length > cap))
            start = next
            index = next
        }
        while index < bytes.count {
            switch bytes[index] {
            case 0x0A: end(at: index, next: index + 1)
            case 0x0D: end(at: index, next: index + 1 < bytes.count && bytes[index + 1] == 0x0A ? index + 2 : index + 1)
            default: index += 1
            }
        }
        if start < bytes.count { end(at: bytes.count, next: bytes.count) }
        return lines
    }

    private static func read(_ bytes: [UInt8], cap: Int, peeking: Bool = false) throws -> [Line] {
        let path = try FixtureFiles.temporary(bytes, suffix: ".txt")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = PhysicalLineReader(file: try InputFile(path: path), startOffset: 0, line: 1, maxLineBytes: cap)
        var lines: [Line] = []
        while let info = try reader.advance() {
            let before = Array(reader.line)
            if peeking {
                // Looking ahead may read the next chunk; the current line stays in view, unchanged.
                _ = try reader.peekNextLine()
                #expect(Array(reader.line) == before)
            }
            lines.append(Line(bytes: before, number: info.number, offset: info.offset, length: info.length, truncated: info.truncated))
        }
        return lines
    }

    /// Lines of random lengths (some longer than a chunk) and endings, with CRLF placed across a chunk's end.
    private static func randomText(seed: UInt64) -> [UInt8] {
        var random = SeededGenerator(seed: seed)
        let breaks: [[UInt8]] = [[0x0A], [0x0D, 0x0A], [0x0D], [0x0A, 0x0A]]
        var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: PhysicalLineReader.chunkSize - 1) + [0x0D, 0x0A]
        while bytes.count < 3 * PhysicalLineReader.chunkSize {
            let length = Bool.random(using: &random) ? Int.random(in: 0...80, using: &random) : Int.random(in: 0...300_000, using: &random)
            bytes += (0..<length).map { _ in UInt8.random(in: 0x20...0x7E, using: &random) }
            bytes += breaks.randomElement(using: &random) ?? [0x0A]
        }
        return bytes + Array("last line without a break".utf8)
    }

    @Test("lines read in place match a plain split, with numbers and byte offsets, across chunks and CRLF split by one", arguments: [1, 2, 3] as [UInt64])
    func matchesPlainSplit(seed: UInt64) throws {
        let bytes = Self.randomText(seed: seed)
        #expect(try Self.read(bytes, cap: 1 << 20) == Self.expected(bytes, cap: 1 << 20))
        #expect(try Self.read(bytes, cap: 1 << 20, peeking: true) == Self.expected(bytes, cap: 1 << 20))
    }

    @Test("a line over the cap is cut and flagged with its full length, and the lines after it keep their true offsets")
    func longLinesAreCut() throws {
        let bytes = Self.randomText(seed: 7)
        let lines = try Self.read(bytes, cap: 1000, peeking: true)
        #expect(lines == Self.expected(bytes, cap: 1000))
        #expect(lines.contains { $0.truncated && $0.length > PhysicalLineReader.chunkSize })
    }

    @Test("a peek tells an empty next line, a next line's first byte, and the end of the file")
    func peek() throws {
        let path = try FixtureFiles.temporary(Array("A\r\n\r\n B\nC".utf8), suffix: ".txt")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = PhysicalLineReader(file: try InputFile(path: path), startOffset: 0, line: 1, maxLineBytes: 100)
        var seen: [PhysicalLineReader.NextLine] = []
        while try reader.advance() != nil { seen.append(try reader.peekNextLine()) }
        #expect(seen == [.empty, .startsWith(0x20), .startsWith(UInt8(ascii: "C")), .none])
    }
}
