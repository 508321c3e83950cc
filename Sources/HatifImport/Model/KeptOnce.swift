import Synchronization

/// An object worked out from a record shape by the first task that needs it, kept with the shape for every
/// task after it (``RecordShape``): the address of a retained object, 0 for none, set once and released
/// with its holder. An address as a number, as a pointer is not `Sendable`.
///
/// Tasks read the object through ``load()`` without counting a reference to it: the shape is shared by
/// every task, and a count changed by each for every record would move between the cores.
struct KeptOnce<Object: AnyObject & Sendable>: ~Copyable, Sendable {
    private let address = Atomic<UInt>(0)

    /// Nothing kept yet.
    init() {}

    /// The object kept, unretained: valid while its holder lives.
    func load() -> Unmanaged<Object>? {
        UnsafeRawPointer(bitPattern: address.load(ordering: .acquiring)).map { Unmanaged<Object>.fromOpaque($0) }
    }

    /// Keeps `made` unless an object is kept already; the one kept either way, unretained.
    func keep(_ made: Object) -> Unmanaged<Object> {
        let retained = Unmanaged.passRetained(made)
        let (exchanged, original) = address.compareExchange(
            expected: 0, desired: UInt(bitPattern: retained.toOpaque()), ordering: .acquiringAndReleasing)
        guard !exchanged, let kept = UnsafeRawPointer(bitPattern: original) else { return retained }
        retained.release()
        return Unmanaged<Object>.fromOpaque(kept)
    }

    deinit {
        if let kept = UnsafeRawPointer(bitPattern: address.load(ordering: .acquiring)) { Unmanaged<Object>.fromOpaque(kept).release() }
    }
}
