import CByteScan

/// Strings from UTF-8 bytes on the readers' hot path: checked sixteen bytes at a time with SSSE3
/// (`CUTF8Check.h`), elsewhere ASCII runs eight bytes at a time and a full validation only for non-ASCII
/// bytes; no generic code (which costs more than the work itself here).
enum UTF8Text {
    /// Whether this processor checks UTF-8 sixteen bytes at a time (asked once: CPUID is slow in a VM).
    static let checksInBlocks = hatif_cpu_has_ssse3() != 0

    /// The length of the UTF-8 byte-order mark `bytes` start with: 3, or 0 without one. Files saved with
    /// one and joined (`cat a.vcf b.vcf`, `cat a.csv b.csv`) have one at the start of a line.
    @inline(__always)
    static func byteOrderMarkLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }

    /// The text of `bytes`, or nil when they are not valid UTF-8.
    @inline(__always)
    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard isValid(bytes) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `bytes` are well-formed UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF).
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { firstInvalidIndex(bytes) == nil }

    /// ``isValid(_:)`` for a run of text such as a whole CSV record: sixteen bytes at a time where the
    /// processor can. Not `isValid` itself: under 64 bytes (most single values) the word loop costs less than
    /// the blocks' set-up and tail, and any branch added there made the vCard reader stop inlining its value
    /// handler (3% more instructions).
    static func isValidRun(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 64, checksInBlocks, let base = bytes.baseAddress else { return isValid(bytes) }
        return hatif_utf8_is_valid_ssse3(base, bytes.count) == 1
    }

    /// The offset of the first byte that breaks UTF-8, or nil. With `allowingCutEnd`, a sequence cut short
    /// by the end of `bytes` (a sample taken from a longer file) does not count as broken.
    static func firstInvalidIndex(_ bytes: UnsafeBufferPointer<UInt8>, allowingCutEnd: Bool = false) -> Int? {
        var index = 0
        let count = bytes.count
        guard let base = bytes.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        let high: UInt64 = 0x8080_8080_8080_8080
        while index < count {
            // ASCII runs sixteen bytes at a time, then eight; in a block with a non-ASCII byte, straight to it.
            while index + 16 <= count,
                (raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) | raw.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self))
                    & high == 0
            {
                index += 16
            }
            if index + 8 <= count {
                let nonASCII = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)) & high
                if nonASCII == 0 {
                    index += 8
                    continue
                }
                index += nonASCII.trailingZeroBitCount >> 3
            }
            guard index < count else { break }
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            // Two-byte sequences (Arabic, Cyrillic, accented Latin) first: C2–DF, then one continuation byte.
            if lead &- 0xC2 <= 0xDF - 0xC2, index + 1 < count, bytes[index + 1] & 0xC0 == 0x80 {
                index += 2
                continue
            }
            let length: Int
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return index
            }
            if index + length > count {
                if allowingCutEnd && (index + 1..<count).allSatisfy({ bytes[$0] & 0xC0 == 0x80 }) { return nil }
                return index
            }
            for offset in 1..<length where bytes[index + offset] & 0xC0 != 0x80 { return index }
            let second = bytes[index + 1]
            if lead == 0xE0 && second < 0xA0 { return index }
            if lead == 0xED && second > 0x9F { return index }
            if lead == 0xF0 && second < 0x90 { return index }
            if lead == 0xF4 && second > 0x8F { return index }
            index += length
        }
        return nil
    }
}
