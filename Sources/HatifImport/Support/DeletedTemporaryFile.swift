import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A temporary file deleted as soon as it is made: its descriptor is all that is left of it, so it is gone
/// once closed, whatever becomes of the process (spilled shared strings, a workbook copied off a stream).
enum DeletedTemporaryFile {
    /// Makes one named after `prefix` in the temporary folder; its descriptor, or why it could not be made.
    static func make(prefix: String) -> Result<Int32, DeletedTemporaryFileError> {
        var template = Array((NSTemporaryDirectory() + "/\(prefix).XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
        guard descriptor >= 0 else { return .failure(DeletedTemporaryFileError(reason: String(cString: strerror(errno)))) }
        template.withUnsafeBufferPointer { buffer in
            if let path = buffer.baseAddress { _ = unlink(path) }
        }
        return .success(descriptor)
    }
}

/// Why a temporary file could not be made.
struct DeletedTemporaryFileError: Error {
    var reason: String
}
