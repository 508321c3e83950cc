import CZlib

/// Writes a zip archive front to back into a ``BufferedWriter`` (a file or standard output): each entry
/// deflated as it is written, its sizes and CRC-32 in a data descriptor after it, the central directory
/// at the end. For `sample --format xlsx`; entries stay under 4 GiB (no zip64).
final class ZipWriter {
    private struct Written {
        var name: [UInt8]
        var crc: UInt32
        var compressed: UInt32
        var size: UInt32
        var offset: UInt32
    }

    private let output: BufferedWriter
    private var offset: Int64 = 0
    private var written: [Written] = []
    private let stream: UnsafeMutablePointer<z_stream>
    private var open: (name: [UInt8], crc: UInt, size: Int64, compressed: Int64, offset: Int64)?
    private var chunk = [UInt8](repeating: 0, count: 256 * 1024)
    private var pending: [UInt8] = []

    init(output: BufferedWriter) {
        self.output = output
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
    }

    deinit { stream.deallocate() }

    /// Starts an entry named `name`; the previous one ends.
    func begin(_ name: String) throws(WriterError) {
        try end()
        let nameBytes = Array(name.utf8)
        open = (nameBytes, crc32(0, nil, 0), 0, 0, offset)
        var header: [UInt8] = []
        Self.put32(0x0403_4B50, &header)
        Self.put16(20, &header)  // version needed
        Self.put16(0x0808, &header)  // data descriptor, UTF-8 names
        Self.put16(8, &header)  // deflate
        Self.put32(0, &header)  // time and date
        Self.put32(0, &header)  // CRC-32, in the descriptor
        Self.put32(0, &header)
        Self.put32(0, &header)
        Self.put16(UInt16(nameBytes.count), &header)
        Self.put16(0, &header)
        header += nameBytes
        try emit(header)
        deflateEnd(stream)
        stream.initialize(to: z_stream())
        guard deflateInit2_(stream, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .writeFailed(path: "zip", reason: "zlib could not start")
        }
    }

    /// Appends `text` to the open entry.
    func write(_ text: String) throws(WriterError) {
        pending.append(contentsOf: text.utf8)
        if pending.count >= 1 << 20 { try deflatePending(finish: false) }
    }

    /// Ends the open entry, if any.
    func end() throws(WriterError) {
        guard let entry = open else { return }
        try deflatePending(finish: true)
        guard let done = open else { return }
        guard done.size < Int64(UInt32.max), done.compressed < Int64(UInt32.max), entry.offset < Int64(UInt32.max) else {
            throw .writeFailed(path: "zip", reason: "an entry passed 4 GiB, which this writer does not support")
        }
        let record = Written(
            name: entry.name, crc: UInt32(truncatingIfNeeded: done.crc), compressed: UInt32(done.compressed), size: UInt32(done.size),
            offset: UInt32(entry.offset))
        var descriptor: [UInt8] = []
        Self.put32(0x0807_4B50, &descriptor)
        Self.put32(record.crc, &descriptor)
        Self.put32(record.compressed, &descriptor)
        Self.put32(record.size, &descriptor)
        try emit(descriptor)
        written.append(record)
        open = nil
    }

    /// Ends the last entry and writes the central directory.
    func finish() throws(WriterError) {
        try end()
        deflateEnd(stream)
        let start = offset
        for entry in written {
            var header: [UInt8] = []
            Self.put32(0x0201_4B50, &header)
            Self.put16(20, &header)  // made by
            Self.put16(20, &header)
            Self.put16(0x0808, &header)
            Self.put16(8, &header)
            Self.put32(0, &header)
            Self.put32(entry.crc, &header)
            Self.put32(entry.compressed, &header)
            Self.put32(entry.size, &header)
            Self.put16(UInt16(entry.name.count), &header)
            Self.put16(0, &header)  // extra
            Self.put16(0, &header)  // comment
            Self.put16(0, &header)  // disk
            Self.put16(0, &header)  // internal attributes
            Self.put32(0, &header)  // external attributes
            Self.put32(entry.offset, &header)
            header += entry.name
            try emit(header)
        }
        var end: [UInt8] = []
        Self.put32(0x0605_4B50, &end)
        Self.put32(0, &end)
        Self.put16(UInt16(written.count), &end)
        Self.put16(UInt16(written.count), &end)
        Self.put32(UInt32(offset - start), &end)
        Self.put32(UInt32(start), &end)
        Self.put16(0, &end)
        try emit(end)
        try output.flush()
    }

    private func deflatePending(finish: Bool) throws(WriterError) {
        guard var entry = open else { return }
        entry.crc = pending.withUnsafeBufferPointer { crc32(entry.crc, $0.baseAddress, UInt32($0.count)) }
        entry.size += Int64(pending.count)
        var failed = false
        var writeFailure: WriterError?
        pending.withUnsafeMutableBufferPointer { input in
            stream.pointee.next_in = input.baseAddress
            stream.pointee.avail_in = UInt32(input.count)
            repeat {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { out in
                    stream.pointee.next_out = out.baseAddress
                    stream.pointee.avail_out = UInt32(out.count)
                    let status = deflate(stream, finish ? Z_FINISH : Z_NO_FLUSH)
                    if status == Z_STREAM_ERROR { failed = true }
                    return out.count - Int(stream.pointee.avail_out)
                }
                if produced > 0 {
                    do throws(WriterError) { try output.write(bytes: chunk[0..<produced]) } catch { writeFailure = error }
                }
                offset += Int64(produced)
                entry.compressed += Int64(produced)
            } while !failed && writeFailure == nil && (stream.pointee.avail_out == 0 || (finish && stream.pointee.avail_in > 0))
        }
        if let writeFailure { throw writeFailure }
        if failed { throw .writeFailed(path: "zip", reason: "zlib failed") }
        pending.removeAll(keepingCapacity: true)
        open = entry
    }

    private func emit(_ bytes: [UInt8]) throws(WriterError) {
        try output.write(bytes: bytes)
        offset += Int64(bytes.count)
    }

    private static func put16(_ value: UInt16, _ bytes: inout [UInt8]) {
        bytes.append(UInt8(value & 0xFF))
        bytes.append(UInt8(value >> 8))
    }

    private static func put32(_ value: UInt32, _ bytes: inout [UInt8]) {
        put16(UInt16(value & 0xFFFF), &bytes)
        put16(UInt16(value >> 16), &bytes)
    }
}
