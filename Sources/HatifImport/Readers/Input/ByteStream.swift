/// Bytes read front to back only: an inflating reader, an archive entry, standard input.
protocol ByteStream: AnyObject {
    /// Fills `buffer` as far as the stream goes; returns how many bytes, 0 at its end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ReaderError) -> Int
}

extension ByteStream {
    /// Reads until `buffer` is full or the stream ends; returns how many bytes.
    func readFully(into buffer: UnsafeMutableRawBufferPointer) throws(ReaderError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var done = 0
        while done < buffer.count {
            let got = try read(into: UnsafeMutableRawBufferPointer(start: base + done, count: buffer.count - done))
            if got == 0 { break }
            done += got
        }
        return done
    }
}

extension Array where Element == UInt8 {
    /// Calls `read` with the array's bytes to fill, passing its typed error on (the standard library's
    /// `withUnsafeMutableBytes` rethrows untyped).
    mutating func fill(_ read: (UnsafeMutableRawBufferPointer) throws(ReaderError) -> Int) throws(ReaderError) -> Int {
        var failure: ReaderError?
        let count = withUnsafeMutableBytes { bytes in
            do throws(ReaderError) {
                return try read(bytes)
            } catch {
                failure = error
                return 0
            }
        }
        if let failure { throw failure }
        return count
    }
}
