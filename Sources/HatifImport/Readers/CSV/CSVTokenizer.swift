/// The bytes of one CSV record as the tokenizer found them, before decoding; a view into the tokenizer's
/// buffers, valid until it reads on (a plain value, so that handing it over counts no references).
struct CSVRawRecord {
    /// The unescaped bytes of every field kept, each but the first after one separator byte, an ASCII
    /// byte that is the delimiter when it can be.
    var bytes = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    /// Where each field ends in `bytes` (the first `maxFields` only); the next starts one byte later.
    var fieldEnds = UnsafeBufferPointer<Int>(start: nil, count: 0)
    /// How many fields the record has.
    var fieldCount = 0
    /// Physical line of the record's start.
    var line = 0
    /// Input byte offset of the record's start.
    var inputOffset: Int64 = 0
    /// A `"` inside an unquoted field was kept as text.
    var strayQuote = false
    /// Text after a closing quote was kept.
    var textAfterQuote = false
    /// The index of the first field longer than the cap (its bytes are cut).
    var oversizedField: Int?
    /// A quoted field was still open at the end of the file.
    var unterminated = false
    /// Every byte of the record is ASCII (seen while copying its runs and quoted fields): it needs no UTF-8
    /// check. False whenever unsure (a field read byte by byte outside quotes).
    var isASCII = false
    /// Where the line after the record's first line starts (input offset, line), to read on from there
    /// when the record turns out broken.
    var resync: (offset: Int64, line: Int)?

    /// The bytes of field `index`.
    func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = index == 0 ? 0 : fieldEnds[index - 1] + 1
        return UnsafeBufferPointer(rebasing: bytes[start..<fieldEnds[index]])
    }
}

/// Splits UTF-8 CSV text into records (RFC 4180 and what real files do), streaming chunk by chunk.
///
/// Quoted fields may hold delimiters, `""` and line breaks; CRLF, LF and CR all end records; blank lines
/// are skipped; a stray quote in an unquoted field and text after a closing quote are kept and flagged.
/// Memory stays bounded: a field is stored up to `maxFieldBytes`, the rest is scanned and dropped.
struct CSVTokenizer {
    private enum State { case recordStart, fieldStart, unquoted, quoted, quoteInQuoted }

    private static let quote = UInt8(ascii: "\"")
    private static let lineFeed: UInt8 = 0x0A
    private static let carriageReturn: UInt8 = 0x0D

    private let file: InputFile
    private let encoding: TextEncoding
    private let delimiter: UInt8
    private let maxFieldBytes: Int
    private let maxFields: Int
    private var input: DecodedInput
    private var position = 0
    private var line: Int
    private var afterCR = false
    private var atEnd = false
    private var state = State.recordStart
    /// The record ``advance()`` completed last.
    private(set) var record = CSVRawRecord()
    /// The record's fields (storage reused from record to record) and where each ends.
    private let storage = GrowableBuffer<UInt8>()
    private let fieldEnds = GrowableBuffer<Int>(capacity: 64)
    private var fieldStart = 0
    /// Bytes that end an unquoted run: delimiter, quote, CR, LF.
    private let stops: ByteFinder
    /// Bytes that end a record that has no quote: quote, CR, LF.
    private let lineStops = ByteFinder(Self.quote, Self.lineFeed, Self.carriageReturn)
    /// The byte put between fields in `CSVRawRecord.storage`.
    private let separator: UInt8
    /// Whether lines without quotes take the fast path.
    private let copiesPlainLines: Bool

    /// Creates a tokenizer; `copiesPlainLines` false turns the fast path for lines without quotes off,
    /// for tests that compare both paths.
    init(
        file: InputFile, encoding: TextEncoding, delimiter: UInt8, startOffset: Int64, line: Int, maxFieldBytes: Int, maxFields: Int,
        copiesPlainLines: Bool = true
    ) {
        self.file = file
        self.encoding = encoding
        self.delimiter = delimiter
        self.maxFieldBytes = maxFieldBytes
        self.maxFields = maxFields
        self.input = DecodedInput(file: file, encoding: encoding, startOffset: startOffset)
        self.line = line
        self.stops = ByteFinder(delimiter, Self.quote, Self.lineFeed, Self.carriageReturn)
        self.separator = delimiter < 0x80 ? delimiter : 0x1F
        self.copiesPlainLines = copiesPlainLines && delimiter < 0x80
    }

    /// Starts over at `offset`, which begins physical line `line`.
    mutating func restart(at offset: Int64, line: Int) {
        input = DecodedInput(file: file, encoding: encoding, startOffset: offset)
        position = 0
        self.line = line
        afterCR = false
        atEnd = false
        state = .recordStart
    }

    /// The next record, a copy of ``record``; nil at the end of the file.
    mutating func next() throws(ReaderError) -> CSVRawRecord? {
        try advance() ? record : nil
    }

    /// Completes the next record in ``record``; false at the end of the file.
    mutating func advance() throws(ReaderError) -> Bool {
        while true {
            if position >= input.chunk.count {
                let more = atEnd ? false : try input.nextChunk()
                guard more else {
                    atEnd = true
                    return finishAtEnd()
                }
                position = 0
            }
            let chunk = input.chunk
            let completed = chunk.withUnsafeBufferPointer { process($0) }
            if completed { return seal() }
        }
    }

    private mutating func finishAtEnd() -> Bool {
        switch state {
        case .recordStart:
            return false
        case .quoted:
            record.unterminated = true
            fallthrough
        default:
            endField()
            state = .recordStart
            return seal()
        }
    }

    /// Points the completed record at its bytes; true.
    private mutating func seal() -> Bool {
        record.fieldEnds = fieldEnds.buffer
        record.bytes = UnsafeBufferPointer(start: storage.pointer, count: fieldEnds.count == 0 ? 0 : fieldEnds[fieldEnds.count - 1])
        return true
    }

    /// Consumes bytes from `position`; true when a record was completed.
    private mutating func process(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = position
        let count = buffer.count
        while index < count {
            let byte = buffer[index]
            switch state {
            case .recordStart:
                if afterCR {
                    afterCR = false
                    if byte == Self.lineFeed {
                        index += 1
                        continue
                    }
                }
                if byte == Self.lineFeed || byte == Self.carriageReturn {
                    line += 1
                    afterCR = byte == Self.carriageReturn
                    index += 1
                    continue
                }
                storage.removeAll()
                fieldEnds.removeAll()
                record.fieldCount = 0
                record.line = line
                record.inputOffset = input.inputOffset(at: index)
                record.strayQuote = false
                record.textAfterQuote = false
                record.oversizedField = nil
                record.unterminated = false
                record.resync = nil
                record.isASCII = true
                fieldStart = 0
                state = .fieldStart

            case .fieldStart:
                if copiesPlainLines, byte != Self.quote, let (next, ended) = appendPlainFields(buffer, from: index) {
                    if ended {
                        position = next
                        return true
                    }
                    index = next
                    continue
                }
                if byte == Self.quote {
                    state = .quoted
                    index += 1
                } else if byte == delimiter {
                    endField()
                    index += 1
                } else if byte == Self.lineFeed || byte == Self.carriageReturn {
                    endField()
                    endRecord(on: byte)
                    position = index + 1
                    return true
                } else {
                    state = .unquoted
                }

            case .unquoted:
                record.isASCII = false
                let start = index
                index = scanUnquoted(buffer, from: index)
                append(buffer, start, index)
                if index == count { break }
                let stop = buffer[index]
                index += 1
                if stop == delimiter {
                    endField()
                    state = .fieldStart
                } else if stop == Self.quote {
                    record.strayQuote = true
                    appendByte(Self.quote)
                } else {
                    endField()
                    endRecord(on: stop)
                    position = index
                    return true
                }

            case .quoted:
                let start = index
                var seen: UInt8 = 0
                while index < count {
                    let next = buffer[index]
                    if next == Self.quote || next == Self.lineFeed || next == Self.carriageReturn { break }
                    seen |= next
                    index += 1
                }
                if seen >= 0x80 { record.isASCII = false }
                if index > start { afterCR = false }
                append(buffer, start, index)
                if index == count { break }
                let stop = buffer[index]
                index += 1
                if stop == Self.quote {
                    state = .quoteInQuoted
                } else {
                    if stop == Self.carriageReturn || !afterCR { line += 1 }
                    afterCR = stop == Self.carriageReturn
                    if record.resync == nil { record.resync = (input.inputOffset(at: index), line) }
                    appendByte(stop)
                }

            case .quoteInQuoted:
                if byte == Self.quote {
                    appendByte(Self.quote)
                    state = .quoted
                    index += 1
                } else if byte == delimiter {
                    endField()
                    state = .fieldStart
                    index += 1
                } else if byte == Self.lineFeed || byte == Self.carriageReturn {
                    endField()
                    endRecord(on: byte)
                    position = index + 1
                    return true
                } else {
                    record.textAfterQuote = true
                    state = .unquoted
                }
            }
        }
        position = count
        return false
    }

    /// The index of the first delimiter, quote, CR or LF at or after `start` (or the end).
    @inline(__always)
    private func scanUnquoted(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        stops.firstIndex(in: buffer, from: start)
    }

    @inline(__always)
    private mutating func append(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
        let count = end - start
        guard count > 0 else { return }
        let room = maxFieldBytes - (storage.count - fieldStart)
        if count <= room {
            storage.append(UnsafeBufferPointer(rebasing: buffer[start..<end]))
        } else {
            if room > 0 { storage.append(UnsafeBufferPointer(rebasing: buffer[start..<(start + room)])) }
            if record.oversizedField == nil { record.oversizedField = record.fieldCount }
        }
    }

    @inline(__always)
    private mutating func appendByte(_ byte: UInt8) {
        if storage.count - fieldStart < maxFieldBytes {
            storage.append(byte)
        } else if record.oversizedField == nil {
            record.oversizedField = record.fieldCount
        }
    }

    /// The fast path for fields without quotes, the common case: from a field start, the run up to the
    /// next quote or line break holds whole fields, delimiters and all, and is copied at once. It is taken
    /// when that run ends on this chunk at a line break (the record ends) or at a quote that opens a field
    /// (which is then open), and no field passes the size cap or the field count the limit. Returns where
    /// to go on and whether the record ended, or nil (nothing kept) for the byte-by-byte path.
    private mutating func appendPlainFields(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> (Int, Bool)? {
        let base = storage.count
        let endsKept = fieldEnds.count
        var fieldBegin = start
        let (maxFieldBytes, maxFields) = (self.maxFieldBytes, self.maxFields)
        let ends = fieldEnds
        var fieldCount = record.fieldCount
        /// Takes back the ends appended here, for the byte-by-byte path.
        func fallBack() -> (Int, Bool)? {
            ends.truncate(to: endsKept)
            return nil
        }
        // One pass finds the delimiters, the end of the run (quote, CR, LF) and whether a byte is not ASCII.
        let scan = lineStops.scan(buffer, from: start, delimiter: delimiter) { stop in
            guard stop - fieldBegin <= maxFieldBytes, fieldCount < maxFields else { return false }
            ends.append(base + stop - start)
            fieldCount += 1
            fieldBegin = stop + 1
            return true
        }
        guard let scan, scan.end < buffer.count else { return fallBack() }
        let end = scan.end
        let opensQuote = buffer[end] == Self.quote
        if opensQuote {
            // Before a quote the run ends with a delimiter, already counted as ending the run's last field.
            guard end > start, buffer[end - 1] == delimiter else { return fallBack() }
            record.fieldCount = fieldCount
        } else {
            guard end - fieldBegin <= maxFieldBytes, fieldCount < maxFields else { return fallBack() }
            ends.append(base + end - start)
            record.fieldCount = fieldCount + 1
        }
        storage.append(UnsafeBufferPointer(rebasing: buffer[start..<end]))
        fieldStart = storage.count
        record.isASCII = record.isASCII && scan.isASCII
        if opensQuote {
            state = .quoted
        } else {
            endRecord(on: buffer[end])
        }
        return (end + 1, !opensQuote)
    }

    @inline(__always)
    private mutating func endField() {
        record.fieldCount += 1
        if record.fieldCount <= maxFields {
            fieldEnds.append(storage.count)
            storage.append(separator)
        } else {
            storage.truncate(to: fieldStart)
        }
        fieldStart = storage.count
    }

    private mutating func endRecord(on byte: UInt8) {
        line += 1
        afterCR = byte == Self.carriageReturn
        state = .recordStart
    }
}
