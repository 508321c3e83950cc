import HatifAPI
import Foundation
import HatifImport
import HatifSandbox
import HatifTestSupport
import Testing

/// Hostile files imported for real (`hatif-import import` into the embedded sandbox, as a process): each
/// gives a clear error or reject, stays within 128 MB, reads nothing but its input, and every good
/// record around the hostile part is still imported.
@Suite("Hostile inputs", .serialized)
struct HostileInputTests {
    static let memoryCeiling = 128.0

    /// A scratch folder with a file written in pieces (so hundreds of megabytes never sit in memory).
    struct Scratch {
        let folder = FileManager.default.temporaryDirectory.appending(path: "hostile-\(UUID().uuidString)")

        init() throws { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }

        func path(_ name: String) -> String { folder.appending(path: name).path }

        func write(_ name: String, _ pieces: [(bytes: [UInt8], times: Int)]) throws -> String {
            let path = path(name)
            FileManager.default.createFile(atPath: path, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            for piece in pieces {
                for _ in 0..<piece.times { try handle.write(contentsOf: piece.bytes) }
            }
            try handle.close()
            return path
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    static func text(_ string: String) -> (bytes: [UInt8], times: Int) { (Array(string.utf8), 1) }
    static func repeated(_ string: String, _ times: Int) -> (bytes: [UInt8], times: Int) { (Array(string.utf8), times) }

    static let csvMapping = "region: SA\nfields:\n  - {source: name, target: FirstName}\n  - {source: phone, target: PhoneNumber}\n"
    static let vcardMapping = "region: SA\nfields:\n  - {source: N.given, target: FirstName}\n  - {source: TEL, target: PhoneNumber}\n"
    static let xmlMapping = "region: SA\nfields:\n  - {source: name, target: FirstName}\n  - {source: phone, target: PhoneNumber}\n"

    /// Imports `input` with `mapping` into the embedded sandbox; returns the outcome and the outcomes of
    /// the records by action.
    static func importing(
        _ input: String, mapping: String, in scratch: Scratch, extra: [String] = []
    ) async throws -> (MeasuredProcess.Outcome, [String: Int]) {
        let mappingPath = scratch.path("mapping.yml")
        try Data(mapping.utf8).write(to: URL(fileURLWithPath: mappingPath))
        let report = scratch.path("report")
        let outcome = try await MeasuredProcess.run(
            try CLIProcess.executable.path,
            ["import", input, "--mapping", mappingPath, "--report", report, "--state", scratch.path("state.sqlite"), "--max-rps", "0", "--sandbox"] + extra,
            environment: CLIProcess.environment())
        var outcomes: [String: Int] = [:]
        if FileManager.default.fileExists(atPath: report + "/results.jsonl") {
            try ResultsFile.forEachEntry(in: report + "/results.jsonl") { outcomes[$0.outcome?.rawValue ?? "?", default: 0] += 1 }
        }
        // The figures README.md quotes: one line per hostile file in the test log.
        print("hostile input \((input as NSString).lastPathComponent): exit \(outcome.status), \(outcomes), peak RSS \(String(format: "%.1f", outcome.peakRSSMegabytes)) MB")
        return (outcome, outcomes)
    }

    static let good = "name,phone\nSara,0500000001\nOmar,0500000002\n"
    static let goodAfter = "Noura,0500000003\n"

    @Test("CSV: a 100 MB field rejects its record only")
    func hugeCSVField() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let input = try scratch.write("huge.csv", [Self.text(Self.good + "Huge,\""), Self.repeated(String(repeating: "x", count: 1 << 20), 100), Self.text("\"\n" + Self.goodAfter)])
        let (outcome, outcomes) = try await Self.importing(input, mapping: Self.csvMapping, in: scratch)
        #expect(outcome.status == 1, "stderr: \(outcome.error)")
        #expect(outcomes == ["created": 3, "rejected": 1])
        #expect(try String(contentsOfFile: scratch.path("report/rejects.csv"), encoding: .utf8).contains("huge.csv,4,3"))
        #expect(outcome.peakRSSMegabytes <= Self.memoryCeiling, "peak RSS \(outcome.peakRSSMegabytes) MB")
    }

    @Test("CSV: invalid UTF-8 in the middle rejects that record; the ones around it are imported")
    func invalidUTF8() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let input = try scratch.write("bad.csv", [Self.text(Self.good), ([0x42, 0x61, 0xFF, 0xFE, 0x64, 0x2C] + Array("0500000009\n".utf8), 1), Self.text(Self.goodAfter)])
        let (outcome, outcomes) = try await Self.importing(input, mapping: Self.csvMapping, in: scratch, extra: ["--encoding", "utf-8"])
        #expect(outcome.status == 1, "stderr: \(outcome.error)")
        #expect(outcomes == ["created": 3, "rejected": 1])
        #expect(try String(contentsOfFile: scratch.path("report/rejects.csv"), encoding: .utf8).lowercased().contains("invalid utf-8"))
    }

    @Test("CSV: a binary file is refused with a clear error and exit code 2; empty and header-only files import nothing")
    func binaryEmptyHeaderOnly() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var generator = SeededGenerator(seed: 7)
        let binary = try scratch.write("binary.csv", [((0..<65_536).map { _ in UInt8.random(in: 0...255, using: &generator) }, 1)])
        let (refused, _) = try await Self.importing(binary, mapping: Self.csvMapping, in: scratch)
        #expect(refused.status == 2)
        #expect(refused.error.contains("binary.csv") && refused.error.lowercased().contains("text"), "stderr: \(refused.error)")
        for (name, content) in [("empty.csv", ""), ("header.csv", "name,phone\n")] {
            let input = try scratch.write(name, [Self.text(content)])
            let (outcome, outcomes) = try await Self.importing(input, mapping: Self.csvMapping, in: scratch, extra: ["--restart"])
            #expect(outcome.status == 0, "\(name): \(outcome.error)")
            #expect(outcome.output.contains("Imported 0 records"))
            #expect(outcomes.isEmpty)
        }
    }

    static func card(_ name: String, _ phone: String, extra: String = "") -> String {
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;\(name);;;\r\nFN:\(name)\r\nTEL;TYPE=CELL:\(phone)\r\n\(extra)END:VCARD\r\n"
    }

    @Test("vCard: a 50 MB PHOTO is skipped with bounded memory and its card still imports")
    func hugePhoto() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let line = " " + String(repeating: "QUJD", count: 18) + "\r\n"  // a folded base64 line, 75 bytes
        let input = try scratch.write(
            "photo.vcf",
            [
                Self.text(Self.card("Sara", "0500000001") + "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;Photo;;;\r\nTEL:0500000002\r\nPHOTO;ENCODING=b;TYPE=JPEG:\r\n"),
                Self.repeated(line, 50 * (1 << 20) / line.utf8.count), Self.text("END:VCARD\r\n" + Self.card("Noura", "0500000003")),
            ])
        let (outcome, outcomes) = try await Self.importing(input, mapping: Self.vcardMapping, in: scratch)
        #expect(outcome.status == 0, "stderr: \(outcome.error)")
        #expect(outcomes == ["created": 3])
        #expect(outcome.peakRSSMegabytes <= Self.memoryCeiling, "peak RSS \(outcome.peakRSSMegabytes) MB")
    }

    @Test("vCard: a card without END:VCARD is a reject with its line; the cards around it import")
    func missingEnd() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let unterminated = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;Broken;;;\r\nTEL:0500000009\r\n"
        let input = try scratch.write("noend.vcf", [Self.text(Self.card("Sara", "0500000001") + unterminated + Self.card("Noura", "0500000003") + unterminated)])
        let (outcome, outcomes) = try await Self.importing(input, mapping: Self.vcardMapping, in: scratch)
        #expect(outcome.status == 1, "stderr: \(outcome.error)")
        #expect(outcomes["created"] == 2)
        #expect((outcomes["rejected"] ?? 0) >= 1)
        #expect(try String(contentsOfFile: scratch.path("report/rejects.csv"), encoding: .utf8).contains("END:VCARD"))
    }

    static let xmlGood = "<contact><name>Sara</name><phone>0500000001</phone></contact><contact><name>Omar</name><phone>0500000002</phone></contact>"

    @Test("XML: external entities (a file and an http URL) are never loaded; the records import without them")
    func externalEntities() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let sentinel = "SENTINEL-\(UUID().uuidString)"
        let secretFile = try scratch.write("secret.txt", [Self.text(sentinel)])
        try await SandboxServer.withRunning(configuration: SandboxConfiguration(faults: .none)) { listener in
            let input = try scratch.write(
                "xxe.xml",
                [
                    Self.text(
                        """
                        <?xml version="1.0"?>
                        <!DOCTYPE contacts [<!ENTITY file SYSTEM "file://\(secretFile)"><!ENTITY web SYSTEM "\(listener.url.absoluteString)/v1/contacts">]>
                        <contacts>\(Self.xmlGood)<contact><name>A&file;B&web;</name><phone>0500000003</phone></contact></contacts>
                        """)
                ])
            let (outcome, outcomes) = try await Self.importing(input, mapping: Self.xmlMapping, in: scratch, extra: ["--record-path", "contacts/contact"])
            #expect(outcome.status == 0, "stderr: \(outcome.error)")
            #expect(outcomes == ["created": 3])
            let results = try String(contentsOfFile: scratch.path("report/results.jsonl"), encoding: .utf8)
            #expect(!(results + outcome.output + outcome.error).contains(sentinel), "the file entity was read")
            #expect(await listener.server.statistics.snapshot().operations.isEmpty, "the http entity was fetched")
        }
    }

    @Test("XML: billion laughs is refused at the entity, with bounded memory; the records before it import")
    func billionLaughs() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var entities = "<!ENTITY lol0 \"lol\">"
        for level in 1...9 { entities += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">" }
        let input = try scratch.write(
            "laughs.xml",
            [Self.text("<?xml version=\"1.0\"?>\n<!DOCTYPE contacts [\(entities)]>\n<contacts>\(Self.xmlGood)\n<contact><name>&lol9;</name><phone>0500000003</phone></contact></contacts>\n")])
        let (outcome, outcomes) = try await Self.importing(input, mapping: Self.xmlMapping, in: scratch, extra: ["--record-path", "contacts/contact"])
        #expect(outcome.status <= 1, "stderr: \(outcome.error)")
        #expect((outcomes["created"] ?? 0) >= 2, "\(outcomes)")
        #expect(outcome.peakRSSMegabytes <= Self.memoryCeiling, "peak RSS \(outcome.peakRSSMegabytes) MB")
        let results = try String(contentsOfFile: scratch.path("report/results.jsonl"), encoding: .utf8)
        #expect(!results.contains("lollollollollol"), "entities were expanded")
    }

    @Test("XML: 10,000-deep nesting stops the document at its line; a 200 MB text node rejects its record only; memory stays bounded")
    func deepNestingAndHugeText() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let deep = try scratch.write(
            "deep.xml",
            [Self.text("<contacts>\(Self.xmlGood)\n<contact><name>"), Self.repeated("<x>", 10_000), Self.repeated("</x>", 10_000), Self.text("</name></contact></contacts>\n")])
        let huge = try scratch.write(
            "huge.xml",
            [
                Self.text("<contacts>\(Self.xmlGood)\n<contact><name>"), Self.repeated(String(repeating: "y", count: 1 << 20), 200),
                Self.text("</name><phone>0500000009</phone></contact>\n<contact><name>After</name><phone>0500000010</phone></contact></contacts>\n"),
            ])
        // Too deep a nesting stops the document there; a value over the cap rejects its record and the next
        // record still reads.
        for (input, expected, reason) in [
            (deep, ["created": 2, "rejected": 1], "Nothing after this point"), (huge, ["created": 3, "rejected": 1], "longer than"),
        ] {
            let (outcome, outcomes) = try await Self.importing(
                input, mapping: Self.xmlMapping, in: scratch, extra: ["--restart", "--record-path", "contacts/contact"])
            #expect(outcome.status == 1, "\(input): \(outcome.error)")
            #expect(outcomes == expected, "\(input)")
            let rejects = try String(contentsOfFile: scratch.path("report/rejects.csv"), encoding: .utf8)
            #expect(rejects.contains(":2") || rejects.contains(",2,"), "the reject names line 2: \(rejects)")
            #expect(rejects.contains(reason), "\(rejects)")
            #expect(outcome.peakRSSMegabytes <= Self.memoryCeiling, "\(input): peak RSS \(outcome.peakRSSMegabytes) MB")
        }
    }
}
