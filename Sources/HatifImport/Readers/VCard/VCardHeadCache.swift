/// The parsed content-line heads of a vCard file, by their bytes, each with a number: a file repeats a few
/// heads (`item1.TEL;TYPE=CELL;TYPE=VOICE`, `EMAIL;TYPE=INTERNET`, `FN`) on every card, and parsing each
/// anew (name, group, parameter dictionary) costs more than the rest of the line.
struct VCardHeadCache {
    /// What the reader needs of a head on every line, as plain values (no reference counting per line),
    /// small enough to be handed back in registers.
    struct Head {
        /// Its number in the cache, or -1 when the cache was full and it was parsed for this line only.
        var index: Int32
        /// Offset of the value's first byte from the start of the line.
        var valueOffset: Int32
        var kind: VCardPropertyKind
        var transfer: VCardContentLine.TransferEncoding
        var charset: TextEncoding?
        /// For a head parsed for one line only: which such parse it was, so that ``VCardHeadCache/line(_:)``
        /// refuses it once a later lookup has replaced it.
        ///
        /// A head holds no reference to its parsed line (the cache keeps those, and `line(_:)` finds them by
        /// number), so handing it back counts none and it cannot dangle. It is not a `~Escapable` value
        /// borrowing the cache instead: the lookup that makes it mutates the cache, so such a borrow would be
        /// exclusive and keep the reader from asking the cache for the head's line while it holds the head.
        fileprivate var parse: UInt32

        /// Its number in the cache, or nil when it was parsed for this line only.
        var number: Int? { index >= 0 ? Int(index) : nil }
    }

    /// What a lookup compares of a cached head.
    private struct Key {
        /// Its first 16 bytes up to any `:`, as ``prefix(of:)`` takes them from a line.
        var prefix: (UInt64, UInt64)
        /// Where its bytes are in `keys`, and how many.
        var start: Int32
        var length: Int32
        /// How many of its first bytes a line whose prefix equals `prefix` is known to share: its first 16
        /// (or all, when fewer) when none is a NUL or a `:`, which a prefix cannot tell from its padding and
        /// its end; else none.
        var covered: Int32
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
    /// Aligned with `heads`.
    private var headKeys: [Key] = []
    /// The bytes of every cached head, one after the other.
    private var keys: [UInt8] = []
    /// Open addressing over the heads' numbers by their prefixes (-1: empty), twice the capacity so that
    /// probes stay short.
    private var slots = [Int32](repeating: -1, count: 2 * capacity)
    /// The last head parsed without a place in the cache.
    private var uncached: VCardContentLine?
    /// How many heads were parsed without a place in the cache.
    private var uncachedParses: UInt32 = 0

    /// The head of `line`, from the cache when seen before; nil when the line has no `:` or no name.
    ///
    /// A seen head is found without looking for where it ends: the line's first 16 bytes up to its first
    /// `:` (all head bytes, as a head ends at a `:`) pick the candidates, and one matches when the line
    /// starts with its bytes followed by `:`. At most one can: the end of a head is decided by its bytes
    /// alone, so a line that starts with a seen head and its `:` has that head. Heads that share their
    /// first 16 bytes (`X-SALESFORCE-CUSTOM-…`) are candidates together; each costs a comparison of two
    /// words and one byte, and there are at most ``capacity``.
    ///
    /// No guess comes first: comparing the head that followed the previous line's head last time before
    /// the prefix (32c6cbe, right for 81% of `make bench`'s lines) made the reader 3.7% slower on a later
    /// machine (1,000,000 cards, pinned, eleven runs in turn, 2026-12-04), as a right guess saves only the
    /// hash and the probe, and a wrong one costs a comparison and a mispredicted branch.
    mutating func head(of line: UnsafeBufferPointer<UInt8>) -> Head? {
        let prefix = Self.prefix(of: line)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: ((prefix.0 ^ (prefix.1 &* 0x9E37_79B9_7F4A_7C15)) &* 0xFF51_AFD7_ED55_8CCD) >> 40) & mask
        while slots[slot] >= 0 {
            let number = Int(slots[slot])
            let key = headKeys[number]
            let length = Int(key.length)
            if key.prefix == prefix, length < line.count, line[length] == UInt8(ascii: ":"),
                keys.withUnsafeBufferPointer({
                    Self.equal($0, from: Int(key.start), UnsafeBufferPointer(rebasing: line[..<length]), skipping: Int(key.covered))
                })
            {
                return heads[number]
            }
            slot = (slot + 1) & mask
        }
        // A head of 2 GiB or more (only with a value cap as large) is not taken for one.
        guard let end = VCardContentLine.headEnd(of: line), end < Int32.max else { return nil }
        let key = UnsafeBufferPointer(rebasing: line[..<end])
        guard let parsed = VCardContentLine(head: key) else { return nil }
        var head = Head(
            index: -1, valueOffset: Int32(truncatingIfNeeded: end + 1), kind: parsed.kind, transfer: parsed.transfer,
            charset: parsed.charset, parse: uncachedParses)
        guard lines.count < Self.capacity, key.count <= Self.maxHeadBytes else {
            uncachedParses &+= 1
            head.parse = uncachedParses
            uncached = parsed
            return head
        }
        head.index = Int32(lines.count)
        slots[slot] = Int32(lines.count)
        lines.append(parsed)
        heads.append(head)
        let covered = key.prefix(16).contains { $0 == 0 || $0 == UInt8(ascii: ":") } ? 0 : min(key.count, 16)
        headKeys.append(Key(prefix: prefix, start: Int32(keys.count), length: Int32(key.count), covered: Int32(covered)))
        keys.append(contentsOf: key)
        return head
    }

    /// The first 16 bytes of `line`, or fewer when it is shorter or has a `:` among them (cut before it),
    /// as two little-endian words padded with zeros.
    @inline(__always)
    static func prefix(of line: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64) {
        guard let base = line.baseAddress else { return (0, 0) }
        var words: (UInt64, UInt64) = (0, 0)
        let count = min(line.count, 16)
        let raw = UnsafeRawPointer(base)
        // A shorter line (`X-VIP:no`, `END:VCARD`: half the lines of a card) in a few loads that stay
        // inside it, overlapping where they must, rather than byte by byte: lanes past `count` stay zero.
        if count == 16 {
            words = (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        } else {
            words.0 = ByteFinder.word(base, count: count)
            if count > 8 { words.1 = raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) >> UInt64(8 * (16 - count)) }
        }
        let colons: UInt64 = 0x3A3A_3A3A_3A3A_3A3A
        // Bytes past `count` are zeros, never a colon.
        let first = ByteFinder.zeroLanes(words.0 ^ colons)
        if first != 0 {
            let lane = first.trailingZeroBitCount / 8
            return (lane == 0 ? 0 : words.0 & (~0 >> (64 - 8 * lane)), 0)
        }
        let second = ByteFinder.zeroLanes(words.1 ^ colons)
        if second != 0 {
            let lane = second.trailingZeroBitCount / 8
            return (words.0, lane == 0 ? 0 : words.1 & (~0 >> (64 - 8 * lane)))
        }
        return words
    }

    /// Whether ``line(_:)`` may be asked for `head`: a cached head always, one parsed for its line only until
    /// the next lookup replaces it.
    func isCurrent(_ head: Head) -> Bool {
        head.number != nil || (uncached != nil && head.parse == uncachedParses)
    }

    /// The parsed form of `head`, which came from this cache (an uncached one only until the next lookup).
    func line(_ head: Head) -> VCardContentLine {
        if let number = head.number { return lines[number] }
        guard let uncached, isCurrent(head) else {
            preconditionFailure("a head parsed for one line is used after the next lookup")
        }
        return uncached
    }

    /// Whether `key` is the `key.count` bytes of `keys` at `start`, its first `skipping` already known equal.
    @inline(__always)
    private static func equal(
        _ keys: UnsafeBufferPointer<UInt8>, from start: Int, _ key: UnsafeBufferPointer<UInt8>, skipping: Int
    ) -> Bool {
        let count = key.count
        var index = skipping
        if index >= count { return true }
        guard let base = keys.baseAddress, let other = key.baseAddress else { return key.isEmpty }
        let mine = UnsafeRawPointer(base + start)
        let theirs = UnsafeRawPointer(other)
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
