import Foundation
import HatifImport
import HatifTestSupport
import Testing

/// Hostile archives imported for real (`hatif-import import` into the embedded sandbox, as a process),
/// each followed by a good CSV: each ends its own input with a clear reject, stays within 128 MB, writes
/// nothing where an entry's name points, and the good CSV's records are all imported.
@Suite("Hostile archives", .serialized)
struct HostileArchiveTests {
    typealias Scratch = HostileInputTests.Scratch

    /// Runs `python3 -c script args…` (the archives are written with Python's zipfile and gzip).
    static func python(_ script: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python3 failed: \(script)")
    }

    /// 200 MiB of zeros, deflated (about 200 KB), as entry `bomb.csv`; with `lie`, the directory claims 1,000 bytes.
    static let zipBomb = """
        import sys, zipfile
        with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
            with z.open('bomb.csv', 'w') as f:
                f.write(b'name,phone\\n')
                for _ in range(200): f.write(bytes(1 << 20))
        if sys.argv[2] == 'lie':
            data = bytearray(open(sys.argv[1], 'rb').read())
            at = data.rfind(b'PK\\x01\\x02')
            data[at + 24:at + 28] = (1000).to_bytes(4, 'little')
            open(sys.argv[1], 'wb').write(bytes(data))
        """

    static let good = "name,phone\nSara,0500000001\nOmar,0500000002\n"

    /// Imports `hostile` then a good CSV of two records; expects the good records created, one reject for
    /// the hostile input whose reason contains `reason`, exit 1 and at most 128 MB.
    static func expectRejected(
        _ hostile: String, reason: String, created: Int = 2, in scratch: Scratch, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) async throws {
        let good = try scratch.write("good.csv", [HostileInputTests.text(good)])
        let (outcome, outcomes) = try await HostileInputTests.importing(hostile, mapping: HostileInputTests.csvMapping, in: scratch, extra: [good])
        #expect(outcome.status == 1, "stderr: \(outcome.error)", sourceLocation: sourceLocation)
        #expect(outcomes["created"] == created, "outcomes: \(outcomes)", sourceLocation: sourceLocation)
        #expect(outcomes["rejected"] == 1, "outcomes: \(outcomes)", sourceLocation: sourceLocation)
        let rejects = (try? String(contentsOfFile: scratch.path("report/rejects.csv"), encoding: .utf8)) ?? ""
        #expect(rejects.contains(reason), "rejects.csv: \(rejects)", sourceLocation: sourceLocation)
        #expect(outcome.peakRSSMegabytes <= HostileInputTests.memoryCeiling, "peak RSS \(outcome.peakRSSMegabytes) MB", sourceLocation: sourceLocation)
    }

    @Test("a zip bomb whose directory tells its ratio is refused before inflating; one that lies about its size stops at the size it claimed")
    func zipBombs() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let honest = scratch.path("honest.zip")
        try Self.python(Self.zipBomb, [honest, "honest"])
        try await Self.expectRejected(honest, reason: "more than 200 times its compressed size", in: scratch)
        let lying = scratch.path("lying.zip")
        try Self.python(Self.zipBomb, [lying, "lie"])
        try await Self.expectRejected(lying, reason: "holds more than the 1000 bytes its directory entry says", in: scratch)
    }

    @Test("a gzip bomb stops once it passes the ratio cap")
    func gzipBomb() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // 200 MiB of blank lines (which a CSV reader skips): text, so it gets past the check for binary files.
        let bomb = scratch.path("bomb.csv.gz")
        try Self.python("import gzip, sys\nwith gzip.open(sys.argv[1], 'wb') as f:\n f.write(b'name,phone\\n')\n for _ in range(200): f.write(b'\\n' * (1 << 20))", [bomb])
        try await Self.expectRejected(bomb, reason: "more than 200 times its compressed size", in: scratch)
    }

    @Test("entry names with ../ or an absolute path are labels: their records are read, nothing is written where they point")
    func traversalNames() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let archive = scratch.path("evil.zip")
        let escape = scratch.folder.deletingLastPathComponent().appending(path: "escape-\(UUID().uuidString).csv").path
        try Self.python(
            "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1], 'w')\nz.writestr(zipfile.ZipInfo('../' + sys.argv[2].split('/')[-1]), 'name,phone\\nEvil,0500000009\\n')\nz.writestr(zipfile.ZipInfo('/tmp/abs.csv'), 'name,phone\\nAbs,0500000008\\n')\nz.close()",
            [archive, escape])
        let good = try scratch.write("good.csv", [HostileInputTests.text(Self.good)])
        let (outcome, outcomes) = try await HostileInputTests.importing(archive, mapping: HostileInputTests.csvMapping, in: scratch, extra: [good])
        #expect(outcome.status == 0, "stderr: \(outcome.error)")
        #expect(outcomes == ["created": 4])
        #expect(!FileManager.default.fileExists(atPath: escape))
        let results = try String(contentsOfFile: scratch.path("report/results.jsonl"), encoding: .utf8)
        #expect(results.contains("evil.zip!../escape-"))
        #expect(results.contains("evil.zip!/tmp/abs.csv"))
        #expect(outcome.peakRSSMegabytes <= HostileInputTests.memoryCeiling)
    }

    @Test("an encrypted entry, a truncated archive, a corrupt deflate stream, a truncated .gz and a truncated workbook each end their input with a reject")
    func brokenArchives() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // Three entries of one record each, and the same CSV gzipped.
        let source = scratch.path("parts.zip")
        try Self.python(
            "import gzip, sys, zipfile\nz = zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED)\nfor n in (1, 2, 3): z.writestr(f'part-{n}.csv', f'name,phone\\nP{n},050000010{n}\\n')\nz.close()\ngzip.open(sys.argv[2], 'wb').write(('name,phone\\n' + ''.join(f'G{n},05000002{n:02}\\n' for n in range(99))).encode())",
            [source, scratch.path("whole.csv.gz")])
        let bytes = try [UInt8](Data(contentsOf: URL(filePath: source)))
        let gzipped = try [UInt8](Data(contentsOf: URL(filePath: scratch.path("whole.csv.gz"))))
        // Encrypted: the flag bit set in every local and central header of the first entry.
        var encrypted = bytes
        for signature in [[0x50, 0x4B, 0x03, 0x04], [0x50, 0x4B, 0x01, 0x02]] as [[UInt8]] {
            if let at = (0..<(encrypted.count - 4)).first(where: { Array(encrypted[$0..<($0 + 4)]) == signature }) {
                encrypted[at + (signature[2] == 3 ? 6 : 8)] |= 1
            }
        }
        // The other two entries of a zip with one bad entry are read.
        let cases: [(name: String, bytes: [UInt8], reason: String, created: Int)] = [
            ("encrypted.zip", encrypted, "encrypted", 4),
            ("truncated.zip", Array(bytes.prefix(bytes.count / 2)), "truncated", 2),
            ("corrupt.zip", Self.corruptFirstEntry(bytes), "corrupt.zip!part-1.csv", 4),
            ("truncated.csv.gz", Array(gzipped.prefix(gzipped.count / 2)), "ends early", 2),
            ("truncated.xlsx", Array((try [UInt8](Data(contentsOf: URL(filePath: ArchiveFixtures.path("contacts-libreoffice.xlsx"))))).prefix(3000)), "truncated", 2),
        ]
        for (name, content, reason, created) in cases {
            let path = try scratch.write(name, [(content, 1)])
            try await Self.expectRejected(path, reason: reason, created: created, in: scratch)
            try? FileManager.default.removeItem(atPath: scratch.path("report"))
            try? FileManager.default.removeItem(atPath: scratch.path("state.sqlite"))
        }
    }

    /// `zip` with the middle of its first entry's compressed data overwritten.
    static func corruptFirstEntry(_ zip: [UInt8]) -> [UInt8] {
        var bytes = zip
        let nameLength = Int(bytes[26]) | Int(bytes[27]) << 8
        let extraLength = Int(bytes[28]) | Int(bytes[29]) << 8
        let compressedSize = Int(bytes[18]) | Int(bytes[19]) << 8 | Int(bytes[20]) << 16 | Int(bytes[21]) << 24
        let start = 30 + nameLength + extraLength
        for index in (start + 2)..<(start + max(3, compressedSize - 2)) { bytes[index] ^= 0x5A }
        return bytes
    }
}

/// The committed archive fixtures (scripts/make-archive-fixtures.py).
enum ArchiveFixtures {
    static func path(_ name: String) -> String { Bundle.module.bundleURL.appending(path: "Fixtures/archives").appending(path: name).path }
}
