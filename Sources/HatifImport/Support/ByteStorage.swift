/// A growable byte buffer for the CSV tokenizer's hot path: appends without uniqueness checks or
/// generic dispatch, which cost more than the copying itself there.
final class ByteStorage {
    private(set) var pointer: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
        pointer = .allocate(capacity: capacity)
    }

    deinit { pointer.deallocate() }

    /// The bytes held, valid until the next change.
    var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: pointer, count: count) }

    @inline(__always)
    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        let needed = count + bytes.count
        if needed > capacity { grow(to: needed) }
        (pointer + count).update(from: bytes.baseAddress!, count: bytes.count)
        count = needed
    }

    @inline(__always)
    func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        pointer[count] = byte
        count += 1
    }

    /// Keeps the first `length` bytes.
    func truncate(to length: Int) { count = min(count, length) }

    func removeAll() { count = 0 }

    private func grow(to minimum: Int) {
        var newCapacity = capacity * 2
        while newCapacity < minimum { newCapacity *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.update(from: pointer, count: count)
        pointer.deallocate()
        pointer = bigger
        capacity = newCapacity
    }
}
