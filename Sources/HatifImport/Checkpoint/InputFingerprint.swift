import Crypto
import Foundation

/// What identifies an input file (or the mapping) between runs: size, modification time and SHA-256.
public struct InputFingerprint: Sendable, Hashable, Codable {
    /// The path as the user gave it.
    public var path: String
    public var size: Int64
    public var modified: Date
    /// SHA-256 of the content, hex.
    public var sha256: String

    /// What a fingerprint of standard input holds in place of a hash: a stream cannot be read twice, so a
    /// resumed run checks the records it skips instead (``ReadPosition/prefixHash``).
    static let standardInput = "standard input"

    /// Reads the file behind `path` once, in 1 MiB chunks, to fingerprint it: a .gz or a zip archive as
    /// stored (an archive's entries share its fingerprint); standard input is not read.
    public static func of(path: String) throws(ReaderError) -> InputFingerprint {
        let stored: String
        switch InputName(path) {
        case .file(let file), .gzip(let file), .zipEntry(let file, _): stored = file
        case .standardInput:
            return InputFingerprint(path: path, size: 0, modified: Date(timeIntervalSinceReferenceDate: 0), sha256: standardInput)
        }
        let file = try InputFile(rawPath: stored)
        var hasher = SHA256()
        var chunk: [UInt8] = []
        var offset: Int64 = 0
        while true {
            let count = try file.read(at: offset, count: 1 << 20, into: &chunk)
            if count == 0 { break }
            hasher.update(data: chunk)
            offset += Int64(count)
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: stored)
        let modified = (attributes?[.modificationDate] as? Date) ?? Date(timeIntervalSince1970: 0)
        return InputFingerprint(path: path, size: offset, modified: modified, sha256: hex(hasher.finalize()))
    }

    /// The fingerprints of `paths`, each stored file read once however many of the inputs it holds (the
    /// entries of one archive).
    public static func of(paths: [String]) throws(ReaderError) -> [InputFingerprint] {
        var byStoredFile: [String: InputFingerprint] = [:]
        var fingerprints: [InputFingerprint] = []
        for path in paths {
            let stored: String? =
                switch InputName(path) {
                case .zipEntry(let archive, _): archive
                default: nil
                }
            if let stored, var known = byStoredFile[stored] {
                known.path = path
                fingerprints.append(known)
                continue
            }
            let fingerprint = try of(path: path)
            if let stored { byStoredFile[stored] = fingerprint }
            fingerprints.append(fingerprint)
        }
        return fingerprints
    }

    /// SHA-256 of `data`, hex.
    static func sha256Hex(_ data: Data) -> String { hex(SHA256.hash(data: data)) }

    private static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: digest.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }, as: UTF8.self)
    }

    /// What differs from `other`, in words, or nil when they are the same file content.
    func difference(from other: InputFingerprint) -> String? {
        if size != other.size { return "its size changed from \(other.size) to \(size) bytes" }
        if sha256 != other.sha256 { return "its content changed (SHA-256 differs)" }
        return nil
    }
}
