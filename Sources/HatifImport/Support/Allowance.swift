import Foundation

/// A limit given as a count (`250`) or a share (`0.5%`): `--max-rejects`, `--max-missing`.
public struct Allowance: Sendable, Equatable, CustomStringConvertible {
    /// At most this many.
    public var count: Int?
    /// At most this share, in percent.
    public var percent: Double?

    /// At most `percent` percent.
    public init(percent: Double) { self.percent = percent }

    /// At most `count`.
    public init(count: Int) { self.count = count }

    /// Parses `250` or `0.5%`; nil when it is neither.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("%") {
            guard let value = Double(trimmed.dropLast()), value >= 0, value <= 100 else { return nil }
            percent = value
        } else {
            guard let value = Int(trimmed), value >= 0 else { return nil }
            count = value
        }
    }

    /// Whether `part` of `whole` stays within it.
    public func allows(_ part: Int, of whole: Int) -> Bool {
        if let count { return part <= count }
        if let percent { return Double(part) <= Double(whole) * percent / 100 }
        return false
    }

    public var description: String {
        if let count { return "\(count)" }
        if let percent { return "\(percent.formatted())%" }
        return "0"
    }
}
