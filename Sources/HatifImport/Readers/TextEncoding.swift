/// The text encodings the readers understand.
public enum TextEncoding: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
    case utf8 = "utf-8"
    case utf16LittleEndian = "utf-16le"
    case utf16BigEndian = "utf-16be"
    case windows1252 = "windows-1252"
    case isoLatin1 = "iso-8859-1"
    case isoArabic = "iso-8859-6"

    public var description: String { rawValue }

    /// The encoding a user or a vCard `CHARSET=` names, in any common spelling; nil when unknown.
    public init?(name: String) {
        let key = name.lowercased().replacingOccurrences(of: "_", with: "-")
        switch key {
        case "utf-8", "utf8": self = .utf8
        case "utf-16le", "utf16le", "utf-16", "unicode": self = .utf16LittleEndian
        case "utf-16be", "utf16be": self = .utf16BigEndian
        case "windows-1252", "cp1252", "win-1252", "1252", "ansi", "us-ascii", "ascii": self = .windows1252
        case "iso-8859-1", "latin1", "latin-1", "iso8859-1", "l1": self = .isoLatin1
        case "iso-8859-6", "iso8859-6", "arabic": self = .isoArabic
        default: return nil
        }
    }

    /// Bytes per code unit.
    var unitWidth: Int {
        switch self {
        case .utf16LittleEndian, .utf16BigEndian: 2
        default: 1
        }
    }

    /// Text from `bytes`; nil when they are not valid in this encoding (only UTF-8 and UTF-16 can be
    /// invalid; the single-byte encodings map every byte).
    public func decode(_ bytes: some Collection<UInt8>) -> String? {
        switch self {
        case .utf8:
            return Array(bytes).withUnsafeBufferPointer(UTF8Text.string)
        case .utf16LittleEndian, .utf16BigEndian:
            var output: [UInt8] = []
            guard TextTranscoder.utf16ToUTF8(Array(bytes), bigEndian: self == .utf16BigEndian, into: &output, strict: true) else {
                return nil
            }
            return String(decoding: output, as: UTF8.self)
        case .windows1252, .isoLatin1, .isoArabic:
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count)
            let table = TextTranscoder.table(for: self)
            for byte in bytes { output.append(contentsOf: table[Int(byte)]) }
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// UTF-16 told from the start of a file: by its byte-order mark (`markLength` 2), or without one by the
    /// NUL in every other byte of ASCII text (`markLength` 0); nil for anything else.
    static func utf16(sniffing sample: [UInt8]) -> (encoding: TextEncoding, markLength: Int)? {
        if sample.starts(with: [0xFF, 0xFE]) { return (.utf16LittleEndian, 2) }
        if sample.starts(with: [0xFE, 0xFF]) { return (.utf16BigEndian, 2) }
        let start = sample.prefix(4096)
        guard start.count >= 16 else { return nil }
        var evenZeros = 0
        var oddZeros = 0
        for (index, byte) in start.enumerated() where byte == 0 {
            if index % 2 == 0 { evenZeros += 1 } else { oddZeros += 1 }
        }
        let half = start.count / 2
        if oddZeros > half * 6 / 10 && evenZeros < half / 10 { return (.utf16LittleEndian, 0) }
        if evenZeros > half * 6 / 10 && oddZeros < half / 10 { return (.utf16BigEndian, 0) }
        return nil
    }
}

/// Byte-level conversions to UTF-8.
enum TextTranscoder {
    /// UTF-8 bytes of each byte value in a single-byte encoding.
    static func table(for encoding: TextEncoding) -> [[UInt8]] {
        switch encoding {
        case .windows1252: windows1252Table
        case .isoArabic: isoArabicTable
        default: isoLatin1Table
        }
    }

    static let isoLatin1Table: [[UInt8]] = (0..<256).map { utf8(UInt32($0)) }

    static let windows1252Table: [[UInt8]] = {
        let high: [UInt32] = [
            0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
            0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
            0x0153, 0x9D, 0x017E, 0x0178,
        ]
        return (0..<256).map { byte in utf8(byte >= 0x80 && byte < 0xA0 ? high[byte - 0x80] : UInt32(byte)) }
    }()

    static let isoArabicTable: [[UInt8]] = (0..<256).map { byte -> [UInt8] in
        switch byte {
        case 0..<0xA1: return utf8(UInt32(byte))
        case 0xA4: return utf8(0xA4)
        case 0xAC: return utf8(0x060C)
        case 0xAD: return utf8(0xAD)
        case 0xBB: return utf8(0x061B)
        case 0xBF: return utf8(0x061F)
        case 0xC1...0xDA: return utf8(UInt32(0x0621 + byte - 0xC1))
        case 0xE0...0xF2: return utf8(UInt32(0x0640 + byte - 0xE0))
        default: return utf8(0xFFFD)
        }
    }

    static func utf8(_ scalar: UInt32) -> [UInt8] {
        var bytes: [UInt8] = []
        appendUTF8(scalar, to: &bytes)
        return bytes
    }

    /// Appends the UTF-8 of `scalar` (a valid scalar value; callers pass U+FFFD for anything else).
    @inline(__always)
    static func appendUTF8(_ scalar: UInt32, to bytes: inout [UInt8]) {
        switch scalar {
        case 0..<0x80: bytes.append(UInt8(scalar))
        case 0x80..<0x800:
            bytes.append(UInt8(0xC0 | (scalar >> 6)))
            bytes.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            bytes.append(UInt8(0xE0 | (scalar >> 12)))
            bytes.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            bytes.append(UInt8(0xF0 | (scalar >> 18)))
            bytes.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            bytes.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    /// Appends `bytes` (UTF-16 code units, two bytes each) as UTF-8. Lone surrogates become U+FFFD, or make
    /// it return false when `strict`.
    @discardableResult
    static func utf16ToUTF8(_ bytes: [UInt8], bigEndian: Bool, into output: inout [UInt8], strict: Bool = false) -> Bool {
        var valid = true
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = 0
        while index + 1 < bytes.count {
            let pair = bigEndian
                ? UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]) : UInt16(bytes[index + 1]) << 8 | UInt16(bytes[index])
            units.append(pair)
            index += 2
        }
        var iterator = units.makeIterator()
        var decoder = UTF16()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): appendUTF8(scalar.value, to: &output)
            case .error:
                valid = false
                output.append(contentsOf: [0xEF, 0xBF, 0xBD])
            case .emptyInput: break loop
            }
        }
        return valid || !strict
    }
}
