/// The parsed content-line heads of a vCard file, by their bytes, each with a number: a file repeats a few
/// heads (`item1.TEL;TYPE=CELL;TYPE=VOICE`, `EMAIL;TYPE=INTERNET`, `FN`) on every card, and parsing each
/// anew (name, group, parameter dictionary) costs more than the rest of the line.
struct VCardHeadCache {
    /// What the reader needs of a head on every line, as plain values (no reference counting per line).
    struct Head {
        /// Its number in the cache, or nil when the cache was full and it was parsed for this line only.
        var number: Int?
        var kind: VCardPropertyKind
        var transfer: VCardContentLine.TransferEncoding
        var charset: TextEncoding?
        var valueOffset: Int
        /// The parsed head, owned by the cache (an uncached one until the next lookup).
        fileprivate var line: Unmanaged<VCardContentLine>
        /// Where its bytes are in the cache's key bytes.
        fileprivate var keyStart: Int
    }

    /// How many distinct heads are kept; past that, heads are parsed each time (a hostile file cannot grow
    /// the cache).
    static let capacity = 512
    /// The longest head kept, in bytes: longer ones (never seen in real exports) are parsed each time, so
    /// that the cache stays small whatever the file.
    static let maxHeadBytes = 256

    /// The cached heads, by number.
    private(set) var lines: [VCardContentLine] = []
    private var heads: [Head] = []
    /// The bytes of every cached head, one after the other.
    private var keys: [UInt8] = []
    /// Open addressing over the heads' numbers (-1: empty), twice the capacity so that probes stay short.
    private var slots = [Int32](repeating: -1, count: 2 * capacity)
    /// The last head parsed without a place in the cache.
    private var uncached: VCardContentLine?

    /// The head of `line`, from the cache when seen before; nil when the line has no `:` or no name.
    mutating func head(of line: UnsafeBufferPointer<UInt8>) -> Head? {
        guard let end = VCardContentLine.headEnd(of: line) else { return nil }
        let key = UnsafeBufferPointer(rebasing: line[..<end])
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: StableHash.of(UnsafeRawBufferPointer(key))) & mask
        while slots[slot] >= 0 {
            let head = heads[Int(slots[slot])]
            if head.valueOffset == end + 1, keys.withUnsafeBufferPointer({ Self.equal($0, from: head.keyStart, key) }) { return head }
            slot = (slot + 1) & mask
        }
        guard let parsed = VCardContentLine(head: key) else { return nil }
        var head = Head(
            number: nil, kind: parsed.kind, transfer: parsed.transfer, charset: parsed.charset, valueOffset: end + 1,
            line: Unmanaged.passUnretained(parsed), keyStart: keys.count)
        guard lines.count < Self.capacity, key.count <= Self.maxHeadBytes else {
            uncached = parsed
            return head
        }
        head.number = lines.count
        slots[slot] = Int32(lines.count)
        lines.append(parsed)
        heads.append(head)
        keys.append(contentsOf: key)
        return head
    }

    /// The parsed form of `head`, which came from this cache (an uncached one only until the next lookup).
    func line(_ head: Head) -> VCardContentLine { head.line.takeUnretainedValue() }

    @inline(__always)
    private static func equal(_ keys: UnsafeBufferPointer<UInt8>, from start: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = keys.baseAddress, let other = key.baseAddress else { return key.isEmpty }
        let mine = UnsafeRawPointer(base + start)
        let theirs = UnsafeRawPointer(other)
        let count = key.count
        var index = 0
        while index + 8 <= count {
            guard mine.loadUnaligned(fromByteOffset: index, as: UInt64.self) == theirs.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            else { return false }
            index += 8
        }
        while index < count {
            guard mine.load(fromByteOffset: index, as: UInt8.self) == theirs.load(fromByteOffset: index, as: UInt8.self) else { return false }
            index += 1
        }
        return true
    }
}
