import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Owns a checkpoint file for one run: holds its lock (`<checkpoint>.lock`, so two runs cannot share it)
/// and writes it atomically (temporary file, fsync, rename, fsync of the folder), so a crash at any
/// moment leaves either the old checkpoint or the new one, never half of one.
public actor CheckpointStore {
    /// The checkpoint file.
    public let path: String
    private let lockDescriptor: Int32

    /// Takes the lock next to `path`; throws when another live run holds it.
    public init(path: String) throws(CheckpointError) {
        self.path = path
        let lockPath = path + ".lock"
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .writeFailed(path: lockPath, reason: String(cString: strerror(errno))) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 64)
            let count = pread(descriptor, &buffer, 64, 0)
            close(descriptor)
            let holder = count > 0 ? String(decoding: buffer.prefix(count), as: UTF8.self).trimmingWhitespace() : "unknown"
            throw .locked(path: lockPath, holder: holder)
        }
        let holder = Array("pid \(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pwrite(descriptor, holder, holder.count, 0)
        lockDescriptor = descriptor
    }

    deinit {
        flock(lockDescriptor, LOCK_UN)
        close(lockDescriptor)
    }

    /// Writes `checkpoint` atomically.
    public func save(_ checkpoint: Checkpoint) throws(CheckpointError) {
        let data: Data
        do { data = try checkpoint.encoded() } catch { throw .writeFailed(path: path, reason: "\(error)") }
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .writeFailed(path: temporary, reason: String(cString: strerror(errno))) }
        let written = data.withUnsafeBytes { raw in write(descriptor, raw.baseAddress, raw.count) }
        let synced = fsync(descriptor)
        close(descriptor)
        guard written == data.count, synced == 0 else { throw .writeFailed(path: temporary, reason: String(cString: strerror(errno))) }
        guard rename(temporary, path) == 0 else { throw .writeFailed(path: path, reason: String(cString: strerror(errno))) }
        let folder = (path as NSString).deletingLastPathComponent
        let folderDescriptor = open(folder.isEmpty ? "." : folder, O_RDONLY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            _ = fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    /// Removes the checkpoint and its lock file after a finished run: the next run starts afresh.
    public func finish() {
        unlink(path)
        unlink(path + ".lock")
    }
}
