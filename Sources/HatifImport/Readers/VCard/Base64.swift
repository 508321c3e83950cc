import Foundation

/// Base64 for the rare text value sent as `ENCODING=b`.
enum Base64 {
    static func decode(_ bytes: [UInt8]) -> [UInt8]? {
        let cleaned = bytes.filter { $0 != 0x20 && $0 != 0x09 }
        return Data(base64Encoded: Data(cleaned), options: .ignoreUnknownCharacters).map { Array($0) }
    }
}
