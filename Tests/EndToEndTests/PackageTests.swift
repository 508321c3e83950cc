import Foundation
import HatifTestSupport
import Testing

/// The Debian package `make test` builds around the debug binary with the same script as `make dist`
/// (`HATIF_TEST_DEB` names it).
@Suite("Debian package", .enabled(if: ProcessInfo.processInfo.environment["HATIF_TEST_DEB"] != nil))
struct PackageTests {
    static let deb = ProcessInfo.processInfo.environment["HATIF_TEST_DEB"] ?? ""

    /// Runs a program to its end; its exit code, standard output and standard error.
    static func run(_ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let environment { process.environment = environment }
        let (out, err) = (Pipe(), Pipe())
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
    }

    /// The package extracted into a fresh temporary root.
    static func extracted() throws -> String {
        let root = FileManager.default.temporaryDirectory.appending(path: "hatif-deb-\(UUID().uuidString)").path
        let result = try run(["dpkg-deb", "-x", deb, root])
        #expect(result.status == 0, "\(result.error)")
        return root
    }

    @Test("the package holds the binary, a man page per command, three shells' completions, the units and its dependencies")
    func contents() throws {
        let listing = try Self.run(["dpkg-deb", "-c", Self.deb])
        #expect(listing.status == 0)
        let paths = Set(listing.output.split(separator: "\n").compactMap { $0.split(separator: " ").last.map { String($0.drop { $0 == "." }) } })
        let expected = [
            "/usr/bin/hatif-import", "/lib/systemd/system/hatif-import@.service", "/lib/systemd/system/hatif-import@.timer",
            "/usr/share/bash-completion/completions/hatif-import", "/usr/share/zsh/vendor-completions/_hatif-import",
            "/usr/share/fish/vendor_completions.d/hatif-import.fish", "/usr/share/doc/hatif-import/examples/crm.yml",
        ] + ["", ".import", ".validate", ".undo", ".config.show", ".runs", ".sandbox", ".demo"].map { "/usr/share/man/man1/hatif-import\($0).1.gz" }
        for path in expected { #expect(paths.contains(path), "\(path) is missing from the package") }
        #expect(listing.output.contains("-rwxr-xr-x root/root"))

        let depends = try Self.run(["dpkg-deb", "-f", Self.deb, "Depends"]).output
        for package in ["adduser", "libxml2 (>= ", "libphonenumber8 (>= ", "libsqlite3-0 (>= ", "libc6 (>= "] {
            #expect(depends.contains(package), "Depends lacks \(package): \(depends)")
        }
        let scripts = try Self.run(["dpkg-deb", "-I", Self.deb]).output
        #expect(scripts.contains("postinst"))
    }

    @Test("the binary runs from the extracted package: --help and --version")
    func binaryRuns() throws {
        let root = try Self.extracted()
        let version = try Self.run([root + "/usr/bin/hatif-import", "--version"])
        #expect(version.status == 0)
        #expect(version.output.hasPrefix("0."))
        let help = try Self.run([root + "/usr/bin/hatif-import", "--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("import"))
        #expect(help.output.contains("config"))
        let bash = try String(contentsOfFile: root + "/usr/share/bash-completion/completions/hatif-import", encoding: .utf8)
        #expect(bash.contains("--max-rps"))
    }

    @Test("systemd-analyze verify finds nothing to say about the units")
    func unitsVerify() throws {
        let root = try Self.extracted()
        // The extracted package over a copy of the host's units (sysinit.target and the rest that a
        // service's default dependencies name), so verify resolves ExecStart= inside the package.
        let copy = try Self.run(["cp", "-rn", "/lib/systemd/system/.", root + "/lib/systemd/system/"])
        #expect(copy.status == 0, "\(copy.error)")
        let verify = try Self.run(["systemd-analyze", "verify", "--man=no", "--root=" + root, "hatif-import@crm.service", "hatif-import@crm.timer"])
        #expect(verify.status == 0, "\(verify.error)")
        #expect(verify.error.isEmpty, "systemd-analyze warned: \(verify.error)")
        let unit = try String(contentsOfFile: root + "/lib/systemd/system/hatif-import@.service", encoding: .utf8)
        for line in [
            "User=hatif-import", "LoadCredential=client-secret:/etc/hatif-import/%i.secret",
            "ExecStart=/usr/bin/hatif-import import --config /etc/hatif-import/%i.yml", "StateDirectory=hatif-import/%i",
        ] {
            #expect(unit.contains(line + "\n"), "the service lacks \(line)")
        }
    }

    @Test("man -l renders the import command's page")
    func manPage() throws {
        let root = try Self.extracted()
        var environment = ProcessInfo.processInfo.environment
        environment["MANWIDTH"] = "100"
        environment["MAN_KEEP_FORMATTING"] = nil
        let page = try Self.run(["man", "-l", root + "/usr/share/man/man1/hatif-import.import.1.gz"], environment: environment)
        #expect(page.status == 0, "\(page.error)")
        #expect(page.output.contains("hatif-import import"))
        #expect(page.output.contains("--max-rps"))
        #expect(page.output.contains("--config"))
    }
}
