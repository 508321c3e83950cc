/// Reads a whole input file once and describes it: format, encoding, delimiter or record element,
/// record and reject counts, and a profile of every field.
public struct FileInspector: Sendable {
    /// What `inspect` reports for one file.
    public struct Report: Sendable, Codable, Equatable {
        /// A reject reason and how often it occurred.
        public struct RejectReason: Sendable, Codable, Equatable {
            public var reason: String
            public var count: Int
            /// Where it first occurred (`file:line`).
            public var firstAt: String
        }

        public var file: String
        public var format: InputFormat
        /// Encoding, delimiter, record element and notices.
        public var facts: [String]
        public var records: Int
        public var rejects: Int
        public var rejectReasons: [RejectReason]
        public var fields: [FieldProfile]
    }

    private let options: ReaderOptions

    /// Creates an inspector.
    public init(options: ReaderOptions = ReaderOptions()) { self.options = options }

    /// Reads `path` (to the end, or its first `limit` records) and reports on it. A read error after the
    /// first record (an XML document cut short) is counted as a reject in place of the rest of the file,
    /// as an import counts it, so the report still describes what could be read; one before it is thrown.
    public func inspect(_ path: String, limit: Int? = nil) throws(ReaderError) -> Report {
        var opened = try options.open(path)
        var profilers: [FieldProfiler] = []
        var index: [String: Int] = [:]
        var records = 0
        var reasons: [String: (count: Int, firstAt: String)] = [:]
        var reasonOrder: [String] = []
        var rejects = 0
        var previous: ReadItem?
        var ended = false
        while !ended, records + rejects < (limit ?? Int.max) {
            let item: ReadItem
            do {
                guard let next = try opened.next() else { break }
                item = next
            } catch where previous != nil {
                ended = true
                item = RecordCursor.rest(lostTo: error, after: previous, path: path)
            }
            previous = item
            switch item {
            case .record(let record):
                records += 1
                for (name, value) in zip(record.fieldNames, record.fieldValues) {
                    let position: Int
                    if let known = index[name] {
                        position = known
                    } else {
                        position = profilers.count
                        index[name] = position
                        profilers.append(FieldProfiler(name: name))
                    }
                    profilers[position].add(value, record: records)
                }
            case .reject(let reject):
                rejects += 1
                let key = Self.generalise(reject.reason)
                if reasons[key] == nil { reasonOrder.append(key) }
                reasons[key, default: (0, reject.location.description)].count += 1
            }
        }
        return Report(
            file: path, format: opened.format, facts: opened.facts + opened.endNotices, records: records, rejects: rejects,
            rejectReasons: reasonOrder.map { .init(reason: $0, count: reasons[$0]!.count, firstAt: reasons[$0]!.firstAt) }
                .sorted { $0.count > $1.count },
            fields: profilers.map { $0.profile(records: records) })
    }

    /// A reason with its line numbers taken out, so like rejects count together.
    static func generalise(_ reason: String) -> String {
        var result = ""
        var inNumber = false
        for character in reason {
            if character.isASCII && character.isNumber {
                if !inNumber { result.append("N") }
                inNumber = true
            } else {
                inNumber = false
                result.append(character)
            }
        }
        return reason.contains("line") ? result : reason
    }
}

extension FileInspector.Report {
    /// The report as a person reads it in a terminal.
    public var text: String {
        var lines: [String] = []
        let rejectNote = rejects > 0 ? ", \(rejects) rejected" : ""
        lines.append("\(file): \(format), \(records) records\(rejectNote)")
        for fact in facts { lines.append("  \(fact)") }
        if !fields.isEmpty {
            let width = min(32, max(5, fields.map(\.name.count).max() ?? 5))
            lines.append("  " + "field".padded(width) + "  filled  distinct  type     samples")
            for field in fields {
                let distinct = (field.distinctIsEstimate ? "~" : "") + "\(field.distinct)"
                let fill = String(format1: field.fillRate * 100) + "%"
                let samples = field.samples.map { $0.replacingNewlines().prefix(24) }.joined(separator: " | ")
                lines.append(
                    "  " + field.name.padded(width) + "  " + fill.leftPadded(6) + "  " + distinct.leftPadded(8) + "  "
                        + field.kind.rawValue.padded(7) + "  " + samples)
            }
        }
        if !rejectReasons.isEmpty {
            lines.append("  rejects:")
            for reason in rejectReasons.prefix(10) {
                lines.append("    \(reason.count) × \(reason.reason) (first at \(reason.firstAt))")
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func padded(_ width: Int) -> String {
        count >= width ? String(prefix(width)) : self + String(repeating: " ", count: width - count)
    }

    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }

    fileprivate func replacingNewlines() -> String {
        String(map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? "⏎" : $0 })
    }

    /// One decimal place.
    fileprivate init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(tenths % 10)"
    }
}
