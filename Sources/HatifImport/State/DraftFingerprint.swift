import Crypto
import Foundation

/// What the source index keeps of a mapped record: its first match key with a value, and a hash of all
/// that the run would write for it (every value, the fields only filled in, and the plan policy), so the
/// same key with the same hash means nothing to write.
public struct DraftFingerprint: Sendable, Hashable {
    /// `phone:+966501234567`: the first of the run's match keys the draft has a value for.
    public var key: String
    /// A stable 64-bit hash.
    public var hash: Int64

    /// The fingerprint of `draft`; nil when it has no value for any of `keys`.
    public init?(draft: ContactDraft, keys: [MatchKey], policy: PlanPolicy) {
        guard let (key, value) = keys.lazy.compactMap({ key in key.value(of: draft).map { (key, $0) } }).first else { return nil }
        self.key = "\(key.description):\(value)"
        var parts = [
            policy.onExisting.rawValue, policy.onMultiple.rawValue, draft.firstName ?? "\u{0}", draft.lastName ?? "\u{0}",
            draft.phone?.e164 ?? "\u{0}", draft.email ?? "\u{0}",
        ]
        for (name, value) in draft.properties.sorted(by: { $0.key < $1.key }) { parts += [name, value] }
        parts.append(draft.filledFields.sorted().joined(separator: "\u{1}"))
        hash = Int64(bitPattern: StableHash.of(parts: parts))
    }

    /// SHA-256 of `text`, hex (names derived from a workspace, such as its lock).
    static func stableHex(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
