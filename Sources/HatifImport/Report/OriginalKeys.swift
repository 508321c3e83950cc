/// The field names of one record shape as they appear in the `original` cell of `rejects.csv`: each a
/// JSON string literal with its quotes doubled for CSV, then `:`. Made when the shape changes, not per
/// reject: the rejects of a CSV file share one shape. Plain state of one task, never shared.
struct OriginalKeys {
    /// The shape the keys are of (held, so that its identity cannot be taken by another shape).
    private var shape: RecordShape?
    /// The keys one after the other.
    private var bytes: [UInt8] = []
    /// Where each key starts in `bytes`, and where the last one ends.
    private var starts: [Int] = []

    /// Makes the keys those of `shape`, unless they are.
    mutating func update(to shape: RecordShape) {
        guard shape !== self.shape else { return }
        self.shape = shape
        bytes.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        for name in shape.names {
            starts.append(bytes.count)
            var name = name
            name.withUTF8 { RejectsFile.appendQuotedLiteral($0, to: &bytes) }
            bytes.append(0x3A)
        }
        starts.append(bytes.count)
    }

    /// Calls `body` with a function that gives the key of field `index` of the shape of the last
    /// ``update(to:)``, valid during the call.
    func withKeys<Result>(_ body: (_ key: (_ index: Int) -> UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try bytes.withUnsafeBufferPointer { bytes in
            try starts.withUnsafeBufferPointer { starts in
                try body { index in UnsafeBufferPointer(rebasing: bytes[starts[index]..<starts[index + 1]]) }
            }
        }
    }
}
