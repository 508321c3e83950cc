/// A job file or environment variable that cannot configure a command.
enum JobConfigurationError: Error, CustomStringConvertible, Equatable {
    /// The job file is missing, unreadable or not a YAML mapping.
    case unreadableFile(path: String, reason: String)
    /// The job file holds a key that no command knows.
    case unknownKey(path: String, key: String, suggestion: String?)
    /// A value of the wrong kind: a mapping, a list for a single value, a flag that is not true or false.
    case wrongType(origin: String, expected: String)
    /// A value the command refuses (not a number, out of range, …), with ArgumentParser's words for it.
    case invalidValue(origin: String, message: String)

    var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            "Cannot use the job file \(path): \(reason.hasSuffix(".") ? String(reason.dropLast()) : reason)."
        case .unknownKey(let path, let key, let suggestion):
            "\(path): unknown key \"\(key)\"" + (suggestion.map { " (did you mean \"\($0)\"?)" } ?? "")
                + ". A job file's keys are the long option names of import, validate and undo; see hatif-import config show."
        case .wrongType(let origin, let expected):
            "\(origin): expected \(expected)."
        case .invalidValue(let origin, let message):
            "\(origin): \(message)"
        }
    }
}
