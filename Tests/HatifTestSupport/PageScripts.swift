import Foundation

/// Checks the inline scripts of an HTML page with `node --check` (Node.js is on the machines the suite runs
/// on; without it the checks are skipped).
public enum PageScripts {
    /// The `node` program, when there is one.
    public static let node: String? = ["/usr/bin/node", "/usr/local/bin/node"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The syntax errors node finds in the page's scripts that are not JSON data, or nil when they parse.
    public static func syntaxErrors(in html: String) throws -> String? {
        guard let node else { return nil }
        var errors: [String] = []
        var rest = html[...]
        while let open = rest.range(of: "<script") {
            guard let tagEnd = rest.range(of: ">", range: open.upperBound..<rest.endIndex),
                let close = rest.range(of: "</script>", range: tagEnd.upperBound..<rest.endIndex)
            else { break }
            let tag = rest[open.lowerBound..<tagEnd.upperBound]
            if !tag.contains("application/json") {
                let file = FileManager.default.temporaryDirectory.appending(path: "page-\(UUID().uuidString).js")
                try Data(rest[tagEnd.upperBound..<close.lowerBound].utf8).write(to: file)
                defer { try? FileManager.default.removeItem(at: file) }
                let process = Process()
                process.executableURL = URL(fileURLWithPath: node)
                process.arguments = ["--check", file.path]
                let pipe = Pipe()
                process.standardError = pipe
                process.standardOutput = FileHandle.nullDevice
                try process.run()
                let output = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                if process.terminationStatus != 0 { errors.append(String(decoding: output, as: UTF8.self)) }
            }
            rest = rest[close.upperBound...]
        }
        return errors.isEmpty ? nil : errors.joined(separator: "\n")
    }
}
