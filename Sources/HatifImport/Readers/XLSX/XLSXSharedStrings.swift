import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A workbook's shared strings, with memory bounded whatever their count: kept in memory up to a budget,
/// then spilled to an unlinked temporary file (each string as its length and bytes) with one offset in
/// memory per ``stride`` strings, and read back through a small cache of file pages.
final class XLSXSharedStrings: XLSXPartHandler {
    /// Bytes of strings kept in memory before spilling. Default 32 MiB.
    static let defaultBudget = 32 << 20
    /// Strings per remembered offset once spilled.
    static let stride = 32
    static let pageSize = 64 * 1024
    static let cachedPages = 128

    private let budget: Int
    private let label: String
    // In memory.
    private var bytes: [UInt8] = []
    private var ends: [Int] = []
    // Spilled.
    private var spill: Int32 = -1
    private var spillLength: Int64 = 0
    private var pending: [UInt8] = []
    private var writeFailure: ReaderError?
    private var sparse: [Int64] = []
    private var pageKeys = [Int64](repeating: -1, count: XLSXSharedStrings.cachedPages)
    private var pages = [[UInt8]](repeating: [], count: XLSXSharedStrings.cachedPages)
    // Parsing.
    private var inItem = false
    private var inText = false
    private var phoneticDepth = 0
    private var current: [UInt8] = []
    /// How many strings there are.
    private(set) var count = 0
    /// Whether they were spilled to disk.
    var isSpilled: Bool { spill >= 0 }

    init(label: String, budget: Int = XLSXSharedStrings.defaultBudget) {
        self.label = label
        self.budget = budget
    }

    deinit { if spill >= 0 { close(spill) } }

    /// Reads the shared strings part from `stream`.
    func load(from stream: ByteStream) throws(ReaderError) {
        let parser = try XLSXPartParser(stream: stream, label: label, handler: self)
        try parser.parseAll()
        try flushPending()
        if let writeFailure { throw writeFailure }
    }

    /// Appends string `index`'s bytes to `values`; false when there is no such string.
    func append(_ index: Int, to values: RecordValues) throws(ReaderError) -> Bool {
        guard index >= 0 && index < count else { return false }
        if spill < 0 {
            let start = index == 0 ? 0 : ends[index - 1]
            bytes.withUnsafeBufferPointer { values.utf8.append(UnsafeBufferPointer(rebasing: $0[start..<ends[index]])) }
            return true
        }
        var offset = sparse[index / Self.stride]
        for _ in 0..<(index % Self.stride) { offset += Int64(try readLength(at: &offset)) }
        let length = try readLength(at: &offset)
        try copy(from: offset, count: length, to: values)
        return true
    }

    // MARK: parsing

    func startElement(_ name: UnsafePointer<UInt8>, attributes: XLSXAttributes) {
        if XLSXAttributes.equal(name, "si") {
            inItem = true
            current.removeAll(keepingCapacity: true)
        } else if XLSXAttributes.equal(name, "rPh") {
            phoneticDepth += 1
        } else if inItem && phoneticDepth == 0 && XLSXAttributes.equal(name, "t") {
            inText = true
        }
    }

    func endElement(_ name: UnsafePointer<UInt8>) {
        if XLSXAttributes.equal(name, "t") {
            inText = false
        } else if XLSXAttributes.equal(name, "rPh") {
            phoneticDepth -= 1
        } else if XLSXAttributes.equal(name, "si") {
            inItem = false
            add(current)
        }
    }

    func characters(_ text: UnsafeBufferPointer<UInt8>) {
        if inText { current.append(contentsOf: text) }
    }

    // MARK: storage

    private func add(_ string: [UInt8]) {
        defer { count += 1 }
        if spill < 0 {
            // Room for the whole budget at once: growing by doubling would hold twice the budget while copying.
            if bytes.capacity == 0 { bytes.reserveCapacity(min(budget, 1 << 30)) }
            if bytes.count + string.count <= budget {
                bytes.append(contentsOf: string)
                ends.append(bytes.count)
                return
            }
            startSpilling()
            if spill < 0 {
                // No temporary file: kept in memory, and the load reports why.
                bytes.append(contentsOf: string)
                ends.append(bytes.count)
                return
            }
        }
        if count % Self.stride == 0 { sparse.append(spillLength + Int64(pending.count)) }
        var length = string.count
        while length >= 0x80 {
            pending.append(UInt8(length & 0x7F) | 0x80)
            length >>= 7
        }
        pending.append(UInt8(length))
        pending.append(contentsOf: string)
        if pending.count >= 1 << 20 {
            do throws(ReaderError) { try flushPending() } catch { writeFailure = writeFailure ?? error }
        }
    }

    /// Moves what is in memory to a temporary file, deleted as soon as it is made.
    private func startSpilling() {
        let descriptor: Int32
        switch DeletedTemporaryFile.make(prefix: "hatif-import-strings") {
        case .success(let made): descriptor = made
        case .failure(let error):
            writeFailure = .readFailed(path: label, reason: "could not make a temporary file for the shared strings: \(error.reason)")
            return
        }
        spill = descriptor
        let kept = (bytes, ends)
        bytes = []
        ends = []
        let total = count
        count = 0
        var start = 0
        for end in kept.1 {
            add(Array(kept.0[start..<end]))
            start = end
        }
        count = total
    }

    private func flushPending() throws(ReaderError) {
        guard spill >= 0, !pending.isEmpty else { return }
        let written = pending.withUnsafeBytes { pwrite(spill, $0.baseAddress, $0.count, off_t(spillLength)) }
        guard written == pending.count else {
            throw .readFailed(path: label, reason: "could not write the shared strings' temporary file: \(String(cString: strerror(errno)))")
        }
        spillLength += Int64(pending.count)
        pending.removeAll(keepingCapacity: true)
    }

    private func readLength(at offset: inout Int64) throws(ReaderError) -> Int {
        var length = 0
        var shift = 0
        while true {
            let byte = try byte(at: offset)
            offset += 1
            length |= Int(byte & 0x7F) << shift
            if byte < 0x80 { return length }
            shift += 7
        }
    }

    private func byte(at offset: Int64) throws(ReaderError) -> UInt8 {
        let page = try self.page(offset / Int64(Self.pageSize))
        return pages[page][Int(offset % Int64(Self.pageSize))]
    }

    private func copy(from offset: Int64, count: Int, to values: RecordValues) throws(ReaderError) {
        var at = offset
        var left = count
        while left > 0 {
            let slot = try page(at / Int64(Self.pageSize))
            let within = Int(at % Int64(Self.pageSize))
            let take = min(left, pages[slot].count - within)
            guard take > 0 else { throw .readFailed(path: label, reason: "the shared strings' temporary file ends early") }
            pages[slot].withUnsafeBufferPointer { values.utf8.append(UnsafeBufferPointer(rebasing: $0[within..<(within + take)])) }
            at += Int64(take)
            left -= take
        }
    }

    /// The cache slot holding page `number`, read from the file when it is not cached.
    private func page(_ number: Int64) throws(ReaderError) -> Int {
        let slot = Int(number % Int64(Self.cachedPages))
        if pageKeys[slot] == number { return slot }
        var page = pages[slot]
        if page.count != Self.pageSize { page = [UInt8](repeating: 0, count: Self.pageSize) }
        let got = page.withUnsafeMutableBytes { pread(spill, $0.baseAddress, Self.pageSize, off_t(number) * off_t(Self.pageSize)) }
        guard got > 0 else { throw .readFailed(path: label, reason: "could not read the shared strings' temporary file") }
        if got < Self.pageSize { page.removeSubrange(got...) }
        pages[slot] = page
        pageKeys[slot] = number
        return slot
    }
}
