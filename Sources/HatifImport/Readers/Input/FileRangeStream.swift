/// A byte range of a file (all of it by default) as a stream: the compressed data under an ``Inflater``,
/// a stored zip entry.
final class FileRangeStream: ByteStream {
    private let file: InputFile
    private var offset: Int64
    private let end: Int64
    private let label: String

    /// Streams `length` bytes of `file` from `start` (to the file's end when nil); `label` names it in errors.
    init(file: InputFile, start: Int64 = 0, length: Int64? = nil, label: String) {
        self.file = file
        self.offset = start
        self.end = length.map { start + $0 } ?? file.size
        self.label = label
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ReaderError) -> Int {
        let wanted = Int(min(Int64(buffer.count), end - offset))
        guard wanted > 0, let base = buffer.baseAddress else { return 0 }
        let count = try file.read(at: offset, into: UnsafeMutableRawBufferPointer(start: base, count: wanted))
        if count == 0 { throw .badArchive(path: label, reason: "the file ends \(end - offset) bytes before its data does (a truncated file?)") }
        offset += Int64(count)
        return count
    }
}
