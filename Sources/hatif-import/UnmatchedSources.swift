/// The warning about the mapping's source fields that no record had: they mapped nothing.
enum UnmatchedSources {
    /// The warning's line, or nil when every source field was found; `hint` is appended.
    static func warning(_ names: [String], hint: String = "") -> String? {
        guard !names.isEmpty else { return nil }
        let one = names.count == 1
        let listed = names.map { "\"\($0)\"" }.joined(separator: ", ")
        return "Warning: no record has the mapped field\(one ? "" : "s") \(listed): nothing was read from \(one ? "it" : "them")\(hint)."
    }
}
