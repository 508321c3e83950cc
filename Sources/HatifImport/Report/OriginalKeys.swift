/// Writes the `original` cell of `rejects.csv`, with the field names of the record shapes met last
/// (``KnownShapes``) as they appear in it: each a JSON string literal with its quotes doubled for CSV, then
/// `:`. The keys are made once per shape, not per reject: the rejects of a CSV file share one shape. Plain
/// state of one task, never shared.
struct OriginalKeys {
    /// The shapes with keys here, and which one is current.
    private var known = KnownShapes()
    /// The keys one after the other, shape after shape.
    private var bytes: [UInt8] = []
    /// Where each key starts in `bytes`, and where the last one ends, shape after shape.
    private var starts: [Int] = []
    /// Room to write a cell in, kept from one reject to the next.
    private var scratch: [UInt8] = []

    /// Makes the keys those of `record`'s shape, unless they are.
    private mutating func update(to record: SourceRecord) {
        guard let (shape, restart) = known.select(record, storedCount: starts.count) else { return }
        if restart {
            bytes.removeAll(keepingCapacity: true)
            starts.removeAll(keepingCapacity: true)
        }
        for name in shape.names {
            starts.append(bytes.count)
            var name = name
            name.withUTF8 { JSONText.appendLiteral($0, doublingQuotes: true, to: &bytes) }
            bytes.append(0x3A)
        }
        starts.append(bytes.count)
    }

    /// Appends the `original` cell of `record` to `line`: its non-empty fields as a JSON object in file order,
    /// as ``JSONText/object(_:)`` writes it, quoted for CSV with each `"` of the JSON text doubled, in one
    /// pass. A file with many rejects writes millions of values here, so the cell is written through a
    /// pointer into room made for its longest possible form, then appended whole. The keys and the room are
    /// reached as this value's own stored parts, never through a copy of it, which would count a reference
    /// to each part (the shape among them) for every reject.
    mutating func appendCell(of record: SourceRecord, to line: inout [UInt8]) {
        update(to: record)
        // `"{` and `}"`, every key, and per value a comma and its literal.
        let base = known.base
        let bound = 4 + (starts[base + record.fieldCount] - starts[base]) + 5 * record.fieldCount
            + JSONText.literalBound(record.valueBytesBound)
        if scratch.count < bound { scratch = [UInt8](repeating: 0, count: max(bound, 2 * scratch.count)) }
        bytes.withUnsafeBufferPointer { keys in
            starts.withUnsafeBufferPointer { starts in
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
                        let key = UnsafeBufferPointer(rebasing: keys[starts[base + index]..<starts[base + index + 1]])
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
    }
}
