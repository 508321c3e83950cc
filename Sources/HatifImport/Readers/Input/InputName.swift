import Foundation

/// What an input's name stands for: a file, a gzipped file, an entry of a zip archive
/// (`export.zip!Contact.csv`), or standard input (`-`). The run keeps inputs by these names (in its
/// checkpoint and in every location), so a name alone says how to open its input again.
enum InputName: Equatable {
    /// A plain file.
    case file(String)
    /// A gzipped file.
    case gzip(String)
    /// An entry of a zip archive.
    case zipEntry(archive: String, entry: String)
    /// Standard input.
    case standardInput

    /// What `name` stands for: `-` is standard input; `ARCHIVE!ENTRY` an archive's entry when no file has
    /// that whole name and ARCHIVE is a file; a name ending in `.gz` a gzipped file.
    init(_ name: String) {
        if name == "-" {
            self = .standardInput
            return
        }
        if name.contains("!"), !FileManager.default.fileExists(atPath: name) {
            var searchFrom = name.startIndex
            while let separator = name[searchFrom...].firstIndex(of: "!") {
                let archive = String(name[..<separator])
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: archive, isDirectory: &isFolder), !isFolder.boolValue {
                    self = .zipEntry(archive: archive, entry: String(name[name.index(after: separator)...]))
                    return
                }
                searchFrom = name.index(after: separator)
            }
        }
        self = name.lowercased().hasSuffix(".gz") ? .gzip(name) : .file(name)
    }

    /// The name the format is told by: an entry's own name, a gzipped file's name without `.gz`.
    var formatName: String {
        switch self {
        case .file(let path): path
        case .gzip(let path): String(path.dropLast(3))
        case .zipEntry(_, let entry): entry.lowercased().hasSuffix(".gz") ? String(entry.dropLast(3)) : entry
        case .standardInput: "-"
        }
    }

    /// Whether its input can be read a second time from the start (standard input cannot).
    var isRewindable: Bool { self != .standardInput }

    /// Whether its bytes can be read at any offset, as the XLSX reader needs: a plain file's.
    var isRandomAccess: Bool {
        if case .file = self { return true }
        return false
    }
}
