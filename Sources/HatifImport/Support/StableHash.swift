/// A 64-bit hash that is the same in every run (unlike `Hasher`): FNV-1a over the UTF-8 of the parts, a
/// 0xFF byte between parts, finished with SplitMix64's mixer.
enum StableHash {
    static func of(_ parts: String...) -> UInt64 { of(parts: parts) }

    static func of(parts: [String]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for (index, part) in parts.enumerated() {
            if index > 0 { hash = (hash ^ 0xFF) &* 0x0100_0000_01B3 }
            for byte in part.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0100_0000_01B3 }
        }
        hash = (hash ^ (hash >> 30)) &* 0xBF58_476D_1CE4_E5B9
        hash = (hash ^ (hash >> 27)) &* 0x94D0_49BB_1331_11EB
        return hash ^ (hash >> 31)
    }
}
