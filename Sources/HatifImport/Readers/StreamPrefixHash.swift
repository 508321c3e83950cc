/// A running hash of the records an input yields, in order (their ordinals, field names and values, or
/// a reject's reason and excerpt): what a run from standard input keeps at each commit, so a resumed run
/// fed the stream again can tell it starts with the same records before it skips them.
struct StreamPrefixHash {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    /// Adds `item`.
    mutating func add(_ item: ReadItem) {
        mix(UInt64(item.ordinal))
        switch item {
        case .record(let record):
            for name in record.fieldNames { mix(name) }
            record.forEachValue { _, utf8 in mix(utf8) }
        case .reject(let reject):
            mix(reject.reason)
            mix(reject.excerpt)
        }
    }

    private mutating func mix(_ number: UInt64) {
        value = (value ^ number) &* 0x0100_0000_01B3
        value = (value ^ (value >> 29)) &* 0xBF58_476D_1CE4_E5B9
    }

    private mutating func mix(_ text: String) {
        var text = text
        text.withUTF8 { mix($0) }
    }

    private mutating func mix(_ bytes: UnsafeBufferPointer<UInt8>) {
        for byte in bytes { value = (value ^ UInt64(byte)) &* 0x0100_0000_01B3 }
        mix(UInt64(bytes.count) | 1 << 63)
    }
}
