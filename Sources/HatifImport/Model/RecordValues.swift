/// A record's values being gathered by a reader, laid out as ``SourceRecord`` keeps them: the values'
/// UTF-8 with one separator byte between two, and where each value ends.
///
/// Its buffers are growable buffers without uniqueness checks (they cost more than the copying on the
/// readers' hot path), so a copy shares them: a reader keeps one and fills it record after record.
struct RecordValues {
    /// The byte put between two values.
    static let separator: UInt8 = 0x1F

    /// The values' UTF-8 so far; a reader writes the value it has begun straight into it.
    let utf8: GrowableBuffer<UInt8>
    /// Where each finished value ends in `utf8`.
    let ends: GrowableBuffer<Int>

    /// Creates an empty set sized for about `fields` values of `bytes` bytes in all.
    init(fields: Int = 0, bytes: Int = 0) {
        ends = GrowableBuffer(capacity: max(16, fields))
        utf8 = GrowableBuffer(capacity: max(256, bytes + fields))
    }

    /// Forgets every value, keeping the room for the next record.
    func removeAll() {
        utf8.removeAll()
        ends.removeAll()
    }

    /// Begins a value: puts the separator after the value before, if any, and returns where the new
    /// value's bytes start in `utf8`.
    @inline(__always)
    func begin() -> Int {
        if ends.count > 0 { utf8.append(Self.separator) }
        return utf8.count
    }

    /// Ends the value begun last at the end of `utf8`.
    @inline(__always)
    func end() { ends.append(utf8.count) }

    /// Adds a whole value.
    func append(_ value: UnsafeBufferPointer<UInt8>) {
        _ = begin()
        utf8.append(value)
        end()
    }

    /// Adds a whole value.
    func append(_ value: String) {
        var value = value
        value.withUTF8 { append($0) }
    }

    /// The bytes of the value begun at `start`, so far.
    func bytes(from start: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: utf8.buffer[start...]) }

    /// Puts `text` in place of the bytes of the value begun at `start`.
    func replace(from start: Int, with text: String) {
        utf8.truncate(to: start)
        var text = text
        text.withUTF8 { utf8.append($0) }
    }
}
