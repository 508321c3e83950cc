/// A 64-bit hash that is the same in every run (unlike `Hasher`): FNV-1a over the UTF-8 of the parts, a
/// 0xFF byte (never part of UTF-8) between parts, finished with SplitMix64's mixer. Fed part by part
/// (``add(_:)``, ``separate()``) it hashes a stream of parts; ``value`` is the hash of what was added so far.
struct StableHash {
    private var state: UInt64 = 0xCBF2_9CE4_8422_2325

    static func of(_ parts: String...) -> UInt64 { of(parts: parts) }

    /// ``of(_:)`` of one part, without an array of parts.
    static func of(_ part: String) -> UInt64 {
        var hash = StableHash()
        hash.add(part)
        return hash.value
    }

    /// ``of(_:)`` of two parts, without an array of parts (the in-file duplicate check hashes two a key).
    static func of(_ first: String, _ second: String) -> UInt64 {
        var hash = StableHash()
        hash.add(first)
        hash.separate()
        hash.add(second)
        return hash.value
    }

    static func of(parts: [String]) -> UInt64 {
        var hash = StableHash()
        for (index, part) in parts.enumerated() {
            if index > 0 { hash.separate() }
            hash.add(part)
        }
        return hash.value
    }

    /// Adds bytes to the part being hashed.
    mutating func add(_ bytes: some Sequence<UInt8>) {
        for byte in bytes { state = (state ^ UInt64(byte)) &* 0x0100_0000_01B3 }
    }

    /// Adds a string's UTF-8 from its storage in one run (the same bytes, so the same hash, as its `utf8`
    /// view, which would take each byte through the view's index).
    mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { add($0) }
    }

    /// Ends a part.
    mutating func separate() { state = (state ^ 0xFF) &* 0x0100_0000_01B3 }

    /// The hash of the parts so far.
    var value: UInt64 {
        var hash = (state ^ (state >> 30)) &* 0xBF58_476D_1CE4_E5B9
        hash = (hash ^ (hash >> 27)) &* 0x94D0_49BB_1331_11EB
        return hash ^ (hash >> 31)
    }
}
