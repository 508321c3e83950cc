import Foundation

/// The inputs a command's arguments name, in the order they are read: a folder stands for its files of a
/// supported format in name order, a zip archive (`export.zip`) for its entries of a supported format in
/// name order (`export.zip!Contact.csv`), `-` for standard input, any other name for itself (a workbook
/// is one input, read by sheet).
public enum InputCatalog {
    /// The inputs, and what was passed over on the way.
    public struct Expansion: Sendable, Equatable {
        /// Input names (``InputName``), in reading order.
        public var inputs: [String] = []
        /// What was skipped and why (`export.zip: skipped README.pdf, not a supported format`).
        public var notices: [String] = []
    }

    /// Expands `arguments`; throws when a folder holds nothing to read or `-` is named twice.
    public static func expand(_ arguments: [String], limits: ArchiveLimits = ArchiveLimits()) throws(ReaderError) -> Expansion {
        var expansion = Expansion()
        for argument in arguments {
            var isFolder: ObjCBool = false
            if argument != "-", FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder), isFolder.boolValue {
                let before = expansion.inputs.count
                let names = ((try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                let folder = argument.hasSuffix("/") ? String(argument.dropLast()) : argument
                for name in names where !name.hasPrefix(".") {
                    let path = folder + "/" + name
                    var isSubfolder: ObjCBool = false
                    _ = FileManager.default.fileExists(atPath: path, isDirectory: &isSubfolder)
                    if isSubfolder.boolValue {
                        expansion.notices.append("\(argument): skipped the folder \(name) (folders are not read inside folders)")
                    } else if isArchive(name) {
                        add(archive: path, to: &expansion, limits: limits)
                    } else if isSupported(name) {
                        expansion.inputs.append(path)
                    } else {
                        expansion.notices.append("\(argument): skipped \(name), not a supported format")
                    }
                }
                if expansion.inputs.count == before {
                    throw .cannotOpen(path: argument, reason: "the folder holds no .csv, .vcf, .xml, .xlsx, .gz or .zip file")
                }
            } else if argument != "-", isArchive(argument), FileManager.default.fileExists(atPath: argument) {
                add(archive: argument, to: &expansion, limits: limits)
            } else {
                if argument == "-", expansion.inputs.contains("-") {
                    throw .invalidOptions(path: "-", reason: "standard input can be named once only")
                }
                expansion.inputs.append(argument)
            }
        }
        return expansion
    }

    /// Adds the entries of the archive at `path`; an archive whose directory cannot be read stays one
    /// input, so the run reports why it could not be read and goes on with the others.
    private static func add(archive path: String, to expansion: inout Expansion, limits: ArchiveLimits) {
        guard let archive = try? ZipArchive(path: path, limits: limits) else {
            expansion.inputs.append(path)
            return
        }
        let entries = archive.entries.filter { !$0.isFolder }.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        var added = 0
        for entry in entries {
            if isSupported(entry.name) {
                expansion.inputs.append("\(path)!\(entry.name)")
                added += 1
            } else {
                expansion.notices.append("\(path): skipped \(entry.name), not a supported format")
            }
        }
        if added == 0 { expansion.notices.append("\(path): no entry of a supported format (.csv, .vcf, .xml, .xlsx, optionally .gz)") }
    }

    /// Whether `name` is a zip archive of inputs (a workbook is a zip too, but one input).
    static func isArchive(_ name: String) -> Bool { name.lowercased().hasSuffix(".zip") }

    /// Whether `name`'s extension is one the readers read, gzipped or not; a `.txt` is read when named,
    /// not picked out of a folder or an archive (where it is a README far more often than a CSV).
    static func isSupported(_ name: String) -> Bool {
        var lower = name.lowercased()
        if lower.hasSuffix(".gz") { lower.removeLast(3) }
        return !lower.hasSuffix(".txt") && InputFormat.fromName(lower) != nil
    }
}
