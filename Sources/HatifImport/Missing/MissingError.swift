import Foundation

/// Why `--on-missing` did not act: a guard found the input suspicious. Nothing gone from the source was
/// touched; the records present were imported, and the same command with the flag it names resumes the run.
public enum MissingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// More contacts are newly missing than `--max-missing` allows.
    case tooMany(missing: Int, known: Int, limit: Allowance)
    /// The input holds fewer than half the records of the source's last complete run.
    case inputShrank(records: Int, last: Int, lastRun: Int64)

    public var description: String {
        switch self {
        case .tooMany(let missing, let known, let limit):
            let share = known > 0 ? " (\((Double(missing) * 100 / Double(known)).formatted(.number.precision(.fractionLength(0...1))))% of the \(known) contacts this source wrote)" : ""
            return "\(missing) contacts are gone from the source\(share), more than --max-missing \(limit) allows. None of them was touched. Check the export; if they really left, run the same command with --max-missing \(missing) (or a share such as --max-missing 100%) to go ahead."
        case .inputShrank(let records, let last, let lastRun):
            return "The input holds \(records) records, fewer than half of the \(last) of run \(lastRun), the last complete run of this source: it looks truncated. Nothing gone from the source was touched. Check the export; if it is complete, run the same command with --allow-shrink to go ahead."
        }
    }
}
