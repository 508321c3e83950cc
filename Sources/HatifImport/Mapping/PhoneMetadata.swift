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
        guard let line = maps.split(separator: "\n").first(where: { $0.contains("/libphonenumber.so") }),
            let slash = line.firstIndex(of: "/")
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
        // Line by line rather than by `components(separatedBy: "\n\n")`: the status file is megabytes, and
        // Foundation's search through it was a tenth of a second of every command's start.
        var package: Substring?
        var version: Substring?
        var installed = false
        func found() -> String? {
            guard let package, package.hasPrefix("libphonenumber"), !package.hasSuffix("-dev"), let version, installed else { return nil }
            var upstream = version
            if let colon = upstream.firstIndex(of: ":") { upstream = upstream[upstream.index(after: colon)...] }
            if let cut = upstream.firstIndex(where: { $0 == "+" || $0 == "-" || $0 == "~" }) { upstream = upstream[..<cut] }
            return String(upstream)
        }
        for line in status.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty {
                if let result = found() { return result }
                (package, version, installed) = (nil, nil, false)
            } else if line.hasPrefix("Package: ") {
                package = package ?? line.dropFirst("Package: ".count)
            } else if line.hasPrefix("Version: ") {
                version = version ?? line.dropFirst("Version: ".count)
            } else if line.hasPrefix("Status: ") {
                installed = installed || line.hasSuffix(" installed")
            }
        }
        return found()
    }
}
