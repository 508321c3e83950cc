/// Writes the `original` cell of `rejects.csv`, with the field names of the record's shape as they appear in
/// it: each a JSON string literal with its quotes doubled for CSV, then `:`. The keys are made once per
/// shape, by its first reject, and kept with the shape (``RecordShape/rejectKeys``): the rejects of a CSV
/// file share one shape, and those of a vCard file take turns among thousands. Plain state of one task
/// (the room a cell is written in), never shared.
struct OriginalKeys {
    /// The keys of one shape one after the other, and where each starts (then where the last ends).
    ///
    /// `@unchecked Sendable`: its blocks are written in `init` only and freed in `deinit`; every other use reads them.
    final class Table: @unchecked Sendable {
        let keys: UnsafeMutableBufferPointer<UInt8>
        let starts: UnsafeMutableBufferPointer<Int>

        /// The keys of the fields of `shape`.
        init(_ shape: RecordShape) {
            var bytes: [UInt8] = []
            var starts: [Int] = []
            starts.reserveCapacity(shape.names.count + 1)
            for name in shape.names {
                starts.append(bytes.count)
                var name = name
                name.withUTF8 { JSONText.appendLiteral($0, doublingQuotes: true, to: &bytes) }
                bytes.append(0x3A)
            }
            starts.append(bytes.count)
            keys = .allocate(capacity: bytes.count)
            _ = keys.initialize(from: bytes)
            self.starts = .allocate(capacity: starts.count)
            _ = self.starts.initialize(from: starts)
        }

        deinit {
            keys.deallocate()
            starts.deallocate()
        }
    }

    /// Room to write a cell in, kept from one reject to the next.
    private var scratch: [UInt8] = []

    /// Appends the `original` cell of `record` to `line`: its non-empty fields as a JSON object in file order,
    /// as ``JSONText/object(_:)`` writes it, quoted for CSV with each `"` of the JSON text doubled, in one
    /// pass. A file with many rejects writes millions of values here, so the cell is written through a
    /// pointer into room made for its longest possible form, then appended whole. The keys are read from the
    /// shape's table without counting a reference to it or to the shape.
    mutating func appendCell(of record: SourceRecord, to line: inout [UInt8]) {
        let kept = record.withShape { shape in shape.rejectKeys.load() ?? shape.rejectKeys.keep(Table(shape)) }
        // The keys are read while the record, which holds its shape and so the table, lives.
        kept._withUnsafeGuaranteedRef { table in
            append(record, keys: UnsafeBufferPointer(table.keys), starts: UnsafeBufferPointer(table.starts), to: &line)
        }
    }

    /// ``appendCell(of:to:)`` with the keys of the record's shape.
    private mutating func append(
        _ record: SourceRecord, keys: UnsafeBufferPointer<UInt8>, starts: UnsafeBufferPointer<Int>, to line: inout [UInt8]
    ) {
        // `"{` and `}"`, every key, and per value a comma and its literal.
        let bound = 4 + (starts[record.fieldCount] - starts[0]) + 5 * record.fieldCount + JSONText.literalBound(record.valueBytesBound)
        if scratch.count < bound { scratch = [UInt8](repeating: 0, count: max(bound, 2 * scratch.count)) }
        scratch.withUnsafeMutableBufferPointer { room in
            guard let out = room.baseAddress else { return }
            out[0] = 0x22
            out[1] = 0x7B
            var count = 2
            record.forEachValue { index, utf8 in
                guard !utf8.isEmpty else { return }
                if count > 2 {
                    out[count] = 0x2C
                    count += 1
                }
                let key = UnsafeBufferPointer(rebasing: keys[starts[index]..<starts[index + 1]])
                if let start = key.baseAddress { (out + count).update(from: start, count: key.count) }
                count += key.count
                count += JSONText.writeLiteral(utf8, doublingQuotes: true, to: out + count)
            }
            if count == 2 {
                // `{}` has neither a quote nor a comma: the cell is the text itself.
                line.append(0x7B)
                line.append(0x7D)
            } else {
                out[count] = 0x7D
                out[count + 1] = 0x22
                line.append(contentsOf: UnsafeBufferPointer(start: out, count: count + 2))
            }
        }
    }
}
