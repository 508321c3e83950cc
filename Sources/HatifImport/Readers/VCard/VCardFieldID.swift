/// One field of a card as ``RecordLayouts`` tells it: the number of its head (in the file's
/// ``VCardHeadCache``, or one of the card's own) and its component (0 for the whole value or a list item,
/// k for component k of a structured value).
struct VCardFieldID: Equatable {
    var bits: UInt64
    init(head: Int, component: Int) { bits = UInt64(truncatingIfNeeded: head) << 32 | UInt64(truncatingIfNeeded: component) }
    init(bits: UInt64) { self.bits = bits }
    var head: Int { Int(bits >> 32) }
    var component: Int { Int(bits & 0xFFFF_FFFF) }
}
