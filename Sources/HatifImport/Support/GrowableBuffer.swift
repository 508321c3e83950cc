/// A growable buffer of plain values for the readers' hot paths: appends without uniqueness checks or
/// generic dispatch, which cost more than the copying itself there.
final class GrowableBuffer<Element: BitwiseCopyable> {
    private(set) var pointer: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = max(1, capacity)
        pointer = .allocate(capacity: self.capacity)
    }

    deinit { pointer.deallocate() }

    /// The values held, valid until the next change.
    var buffer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: pointer, count: count) }

    @inline(__always)
    func append(_ values: UnsafeBufferPointer<Element>) {
        guard let source = values.baseAddress else { return }
        let needed = count + values.count
        if needed > capacity { grow(to: needed) }
        Self.copy(from: UnsafeRawPointer(source), to: UnsafeMutableRawPointer(pointer + count), byteCount: values.count * MemoryLayout<Element>.stride)
        count = needed
    }

    /// Copies `byteCount` bytes; up to 16 with two loads and two stores (which may overlap) in place of a
    /// call to `memmove`: the readers append a value of a few bytes at a time, millions of times.
    @inline(__always)
    private static func copy(from source: UnsafeRawPointer, to destination: UnsafeMutableRawPointer, byteCount: Int) {
        if byteCount > 16 {
            destination.copyMemory(from: source, byteCount: byteCount)
        } else if byteCount >= 8 {
            let first = source.loadUnaligned(as: UInt64.self)
            let last = source.loadUnaligned(fromByteOffset: byteCount - 8, as: UInt64.self)
            destination.storeBytes(of: first, as: UInt64.self)
            destination.storeBytes(of: last, toByteOffset: byteCount - 8, as: UInt64.self)
        } else if byteCount >= 4 {
            let first = source.loadUnaligned(as: UInt32.self)
            let last = source.loadUnaligned(fromByteOffset: byteCount - 4, as: UInt32.self)
            destination.storeBytes(of: first, as: UInt32.self)
            destination.storeBytes(of: last, toByteOffset: byteCount - 4, as: UInt32.self)
        } else if byteCount > 0 {
            let first = source.load(as: UInt8.self)
            let middle = source.load(fromByteOffset: byteCount >> 1, as: UInt8.self)
            let last = source.load(fromByteOffset: byteCount - 1, as: UInt8.self)
            destination.storeBytes(of: first, as: UInt8.self)
            destination.storeBytes(of: middle, toByteOffset: byteCount >> 1, as: UInt8.self)
            destination.storeBytes(of: last, toByteOffset: byteCount - 1, as: UInt8.self)
        }
    }

    @inline(__always)
    func append(_ value: Element) {
        if count == capacity { grow(to: count + 1) }
        pointer[count] = value
        count += 1
    }

    @inline(__always)
    subscript(index: Int) -> Element { pointer[index] }

    /// Room for at least `count` more values past the end, for a caller to fill and then ``commit(_:)``.
    func reserveTail(_ count: Int) -> UnsafeMutableBufferPointer<Element> {
        if self.count + count > capacity { grow(to: self.count + count) }
        return UnsafeMutableBufferPointer(start: pointer + self.count, count: capacity - self.count)
    }

    /// Counts `added` values written into the room ``reserveTail(_:)`` gave.
    func commit(_ added: Int) { count += added }

    /// Drops the first `length` values, moving the rest to the front.
    func removeFirst(_ length: Int) {
        let length = min(length, count)
        guard length > 0 else { return }
        pointer.update(from: pointer + length, count: count - length)
        count -= length
    }

    /// Keeps the first `length` values.
    func truncate(to length: Int) { count = min(count, length) }

    func removeAll() { count = 0 }

    private func grow(to minimum: Int) {
        var newCapacity = capacity * 2
        while newCapacity < minimum { newCapacity *= 2 }
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        bigger.update(from: pointer, count: count)
        pointer.deallocate()
        pointer = bigger
        capacity = newCapacity
    }
}
