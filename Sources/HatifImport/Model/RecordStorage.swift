/// A record's one allocation: everything of it that is not a plain number (its shape, shared with the
/// records of its layout, and its notes) in the header, then the values' bytes and where each ends.
/// Copying a record then counts one reference, on every hop from reader to pipeline. Never changed once
/// made, so records holding it are `Sendable` (`ManagedBuffer` itself is not, as it allows changes).
@usableFromInline
final class RecordStorage: ManagedBuffer<RecordStorage.Header, UInt8> {
    /// What a record keeps besides its bytes; never changed once the record is made.
    @usableFromInline
    struct Header {
        var shape: RecordShape
        /// `shape`, to be read without counting a reference to it (``withShape(_:)``).
        let unretainedShape: Unmanaged<RecordShape>
        var notes: [String]
        /// Where the ends start in the bytes, a multiple of 4.
        @usableFromInline var endsOffset: Int
        @usableFromInline var fieldCount: Int
    }

    /// A storage holding `text` (values with one separator byte between two) and `ends` (where each value
    /// ends in it) after a header of the other parts.
    static func make(
        shape: RecordShape, notes: [String], text: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<Int>
    ) -> RecordStorage {
        precondition(text.count <= Int(UInt32.max), "a record's text fits 32-bit offsets")
        let endsOffset = (text.count + 3) & ~3
        let made = create(minimumCapacity: endsOffset + 4 * ends.count) { _ in
            Header(
                shape: shape, unretainedShape: Unmanaged.passUnretained(shape), notes: notes, endsOffset: endsOffset, fieldCount: ends.count)
        }
        let storage = unsafeDowncast(made, to: RecordStorage.self)
        storage.withUnsafeMutablePointerToElements { base in
            if let source = text.baseAddress { base.initialize(from: source, count: text.count) }
            (base + text.count).initialize(repeating: 0, count: endsOffset - text.count)
            let raw = UnsafeMutableRawPointer(base + endsOffset)
            for (index, end) in ends.enumerated() {
                raw.storeBytes(of: UInt32(truncatingIfNeeded: end), toByteOffset: 4 * index, as: UInt32.self)
            }
        }
        return storage
    }

    // The header's parts are read through its pointer: `header` checks exclusivity at run time on each
    // read, which the mapping paid for every value it read (2026-12-04: 1.3% of a two-core `validate` of a
    // CSV file). The header never changes once made, so no read can overlap a change.

    /// The shape of the record.
    var shape: RecordShape { withUnsafeMutablePointerToHeader { $0.pointee.shape } }
    /// `body` of the shape, which the storage holds, without counting a reference to it
    /// (``SourceRecord/withShape(_:)``).
    @inline(__always)
    func withShape<Result>(_ body: (RecordShape) -> Result) -> Result {
        withUnsafeMutablePointerToHeader { $0.pointee.unretainedShape }._withUnsafeGuaranteedRef(body)
    }
    /// What a lenient reader let pass in the record.
    var notes: [String] { withUnsafeMutablePointerToHeader { $0.pointee.notes } }
    /// Where the ends start in the bytes.
    @inlinable var endsOffset: Int { withUnsafeMutablePointerToHeader { $0.pointee.endsOffset } }
    /// How many values the record has.
    @inlinable var fieldCount: Int { withUnsafeMutablePointerToHeader { $0.pointee.fieldCount } }

    /// The values' bytes and ends, as laid out by ``make(shape:notes:text:ends:)``.
    @inlinable
    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        let count = endsOffset + 4 * fieldCount
        return try withUnsafeMutablePointerToElements { try body(UnsafeBufferPointer(start: $0, count: count)) }
    }
}
