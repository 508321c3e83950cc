import Foundation

/// Which libphonenumber (and so which phone metadata) this process runs with, for `--version`, the
/// README and the note on a kept number.
///
/// libphonenumber's C++ API does not say its own version, so it is read from what the system knows: the
/// package manager's record of the package that holds the loaded library (Debian's `libphonenumber8`),
/// else the version in the loaded library's file name (`libphonenumber.so.8.12`).
public struct PhoneMetadata: Sendable, Equatable, CustomStringConvertible {
    /// The library's version, e.g. `8.12.57`; nil when it cannot be told.
    public var version: String?
    /// When that version's metadata was published, e.g. `2022`, for the versions this tool knows.
    public var year: String?

    /// The metadata of the library this process has loaded.
    public static let current = PhoneMetadata(
        version: detectVersion(maps: readToEnd("/proc/self/maps"), dpkgStatus: { readToEnd("/var/lib/dpkg/status") }))

    /// A file's text read to its end (files under /proc report a size of 0, so reading by size gets nothing).
    private static func readToEnd(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.readToEnd() else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Creates a description for `version`.
    public init(version: String?) {
        self.version = version
        self.year = version.flatMap(Self.year(of:))
    }

    /// `libphonenumber 8.12.57 (2022)`.
    public var description: String {
        var text = "libphonenumber \(version ?? "(version unknown)")"
        if let year { text += " (\(year))" }
        return text
    }

    /// The release year of versions packaged by Debian and Ubuntu (upstream release dates).
    static func year(of version: String) -> String? {
        let known: [(prefix: String, year: String)] = [
            ("8.12.57", "2022"), ("8.12.", "2020–2022"), ("8.13.", "2022–2025"), ("9.0.", "2025"), ("8.11.", "2019–2020"),
        ]
        return known.first { version.hasPrefix($0.prefix) }?.year
    }

    /// The version, from the process's memory map and (on Debian and Ubuntu) the package status file.
    static func detectVersion(maps: String?, dpkgStatus: () -> String?) -> String? {
        guard let maps else { return nil }
        guard let line = lines(of: maps).first(where: { $0.contains("/libphonenumber.so") }), let slash = line.firstIndex(of: "/")
        else { return nil }
        let path = String(line[slash...])
        if let status = dpkgStatus(), let version = packageVersion(in: status) { return version }
        let file = URL(fileURLWithPath: path).resolvingSymlinksInPath().lastPathComponent
        guard let range = file.range(of: ".so.") else { return nil }
        return String(file[range.upperBound...])
    }

    /// The upstream version of the installed libphonenumber runtime package in a dpkg status file
    /// (`8.12.57+ds-3` → `8.12.57`).
    static func packageVersion(in status: String) -> String? {
        // Line by line rather than by `components(separatedBy: "\n\n")`, and over the bytes rather than
        // the `String`: the status file is megabytes, and Foundation's search through it, then a split of
        // the `String` (which walks grapheme clusters), were a tenth of a second of every command's start.
        var status = status
        return status.withUTF8 { bytes in
            var package: String?
            var version: String?
            var installed = false
            func found() -> String? {
                guard let package, package.hasPrefix("libphonenumber"), !package.hasSuffix("-dev"), var upstream = version?[...], installed
                else { return nil }
                if let colon = upstream.firstIndex(of: ":") { upstream = upstream[upstream.index(after: colon)...] }
                if let cut = upstream.firstIndex(where: { $0 == "+" || $0 == "-" || $0 == "~" }) { upstream = upstream[..<cut] }
                return String(upstream)
            }
            /// The rest of `line` after `field` and its `: `, if it is that field's line.
            func value(_ line: UnsafeBufferPointer<UInt8>, of field: StaticString) -> String? {
                let name = UnsafeBufferPointer(start: field.utf8Start, count: field.utf8CodeUnitCount)
                guard line.count > name.count + 1, line.starts(with: name), line[name.count] == UInt8(ascii: ":"),
                    line[name.count + 1] == UInt8(ascii: " ")
                else { return nil }
                return String(decoding: UnsafeBufferPointer(rebasing: line[(name.count + 2)...]), as: UTF8.self)
            }
            var start = 0
            while start <= bytes.count {
                let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
                start = end + 1
                if line.isEmpty {
                    if let result = found() { return result }
                    (package, version, installed) = (nil, nil, false)
                } else if let name = value(line, of: "Package") {
                    package = package ?? name
                } else if let text = value(line, of: "Version") {
                    version = version ?? text
                } else if let text = value(line, of: "Status") {
                    installed = installed || text.hasSuffix(" installed") || text == "installed"
                }
            }
            return found()
        }
    }

    /// The lines of `text` split at its LF bytes, empty lines included: the lines `split(separator: "\n")`
    /// gives, without walking grapheme clusters (for the status file of a desktop's packages that was
    /// 300 million instructions).
    static func lines(of text: String) -> [Substring] {
        text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { Substring($0) }
    }
}
