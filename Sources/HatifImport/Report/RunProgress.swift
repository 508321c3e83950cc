import Foundation
import HatifAPI

/// How far a run is, for the progress bar and the periodic log line: committed counts, records finished
/// in the window being pushed, and bytes of input behind us (the base of the ETA).
public actor RunProgress {
    /// A moment's view of the run.
    public struct Snapshot: Sendable {
        /// Counts of the committed records (those of earlier runs included when resuming).
        public var summary: PlanSummary
        /// Records finished in the window being pushed, not yet committed.
        public var finishedInWindow: Int
        /// Input bytes up to the committed position, and in all.
        public var bytesDone: Int64
        public var bytesTotal: Int64
        /// Records done in this run (for the rate).
        public var recordsThisRun: Int
        public var elapsed: Duration

        /// Records done, the window's finished ones included.
        public var records: Int { summary.records + finishedInWindow }
        /// Records a second in this run.
        public var rate: Double {
            elapsed.seconds > 0 ? Double(recordsThisRun + finishedInWindow) / elapsed.seconds : 0
        }
        /// The fraction of input bytes behind us, 0…1.
        public var fraction: Double { bytesTotal > 0 ? min(1, Double(bytesDone) / Double(bytesTotal)) : 0 }

        /// One line: `[#####·····] 45% · 12,345 records · 1,234/s · ETA 0:42 · created 100 · …`.
        public func line(barWidth: Int = 24) -> String {
            let filled = Int((fraction * Double(barWidth)).rounded(.down))
            let bar = String(repeating: "#", count: filled) + String(repeating: "·", count: barWidth - filled)
            var eta = "–"
            let seconds = elapsed.components.seconds
            if fraction > 0.001, seconds > 0 {
                let remaining = Int(Double(seconds) * (1 - fraction) / max(fraction, 0.001))
                eta = remaining >= 3600 ? "\(remaining / 3600)h\(String(format: "%02d", remaining / 60 % 60))m" : "\(remaining / 60):\(String(format: "%02d", remaining % 60))"
            }
            return "[\(bar)] \(Int(fraction * 100))% · \(records) records · \(Int(rate))/s · ETA \(eta) · created \(summary.create) · updated \(summary.update) · unchanged \(summary.unchanged) · rejected \(summary.reject) · failed \(summary.failed)"
        }
    }

    private var summary = PlanSummary()
    private var finishedInWindow = 0
    private var bytesDone: Int64 = 0
    private var bytesTotal: Int64 = 0
    private var recordsAtStart = 0
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant

    /// Creates a tracker; the clock starts now.
    public init() { started = clock.now }

    /// Where the run starts: the counts of earlier runs and the bytes behind and ahead.
    func begin(summary: PlanSummary, bytesDone: Int64, bytesTotal: Int64) {
        self.summary = summary
        self.recordsAtStart = summary.records
        self.bytesDone = bytesDone
        self.bytesTotal = bytesTotal
    }

    /// `count` records of the window being pushed are done.
    func finished(_ count: Int) { finishedInWindow += count }

    /// A window was committed.
    func committed(summary: PlanSummary, bytesDone: Int64) {
        self.summary = summary
        self.bytesDone = bytesDone
        finishedInWindow = 0
    }

    /// The view now.
    public func snapshot() -> Snapshot {
        Snapshot(
            summary: summary, finishedInWindow: finishedInWindow, bytesDone: bytesDone, bytesTotal: bytesTotal,
            recordsThisRun: summary.records - recordsAtStart, elapsed: clock.now - started)
    }
}
