/// What the tokenizer found of one CSV record besides its bytes: plain values, set as it reads.
struct CSVRecordFacts {
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
}

/// The bytes of one CSV record as the tokenizer found them, before decoding (what else it found is in
/// ``CSVRecordFacts``): a view into the tokenizer's buffers. It is `~Escapable` and borrows the tokenizer, so the compiler refuses code that keeps it past
/// the tokenizer's next step (which overwrites those buffers) or that moves the tokenizer on while it is
/// in use; it holds no reference, so handing it over counts none.
struct CSVRawRecord: ~Escapable {
    /// The unescaped bytes of every field kept, each but the first after one separator byte, an ASCII
    /// byte that is the delimiter when it can be.
    let bytes: Span<UInt8>
    /// Where each field ends in `bytes` (the first `maxFields` only); the next starts one byte later.
    let fieldEnds: Span<Int>

    @_lifetime(copy bytes, copy fieldEnds)
    init(bytes: Span<UInt8>, fieldEnds: Span<Int>) {
        self.bytes = bytes
        self.fieldEnds = fieldEnds
    }

    /// The bytes of field `index`.
    @_lifetime(copy self)
    func field(_ index: Int) -> Span<UInt8> {
        let start = index == 0 ? 0 : fieldEnds[index - 1] + 1
        return bytes.extracting(start..<fieldEnds[index])
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
    /// The line the tokenizer is at: after a record, the line the next one would start on without blank lines between.
    private(set) var line: Int
    private var afterCR = false
    private var atEnd = false
    private var state = State.recordStart
    /// What ``advance()`` found of the record it completed last.
    private(set) var facts = CSVRecordFacts()
    /// Its bytes and where its fields end, in `storage` and `fieldEnds`: handed out only as the spans of
    /// ``record``, whose lifetime the compiler ties to this tokenizer.
    private var recordBytes = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    private var recordEnds = UnsafeBufferPointer<Int>(start: nil, count: 0)
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

    /// The record ``advance()`` completed last, valid until the tokenizer moves on.
    var record: CSVRawRecord {
        @_lifetime(borrow self)
        borrowing get {
            // The buffers belong to this tokenizer and change only when it moves on, which the borrow of
            // `self` rules out while the view is used.
            let bytes = unsafe Span(_unsafeElements: recordBytes)
            let ends = unsafe Span(_unsafeElements: recordEnds)
            return CSVRawRecord(bytes: unsafe _overrideLifetime(bytes, borrowing: self), fieldEnds: unsafe _overrideLifetime(ends, borrowing: self))
        }
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
            facts.unterminated = true
            fallthrough
        default:
            endField()
            state = .recordStart
            return seal()
        }
    }

    /// Points the completed record at its bytes; true.
    private mutating func seal() -> Bool {
        recordEnds = fieldEnds.buffer
        recordBytes = UnsafeBufferPointer(start: storage.pointer, count: fieldEnds.count == 0 ? 0 : fieldEnds[fieldEnds.count - 1])
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
                facts.fieldCount = 0
                facts.line = line
                facts.inputOffset = input.inputOffset(at: index)
                facts.strayQuote = false
                facts.textAfterQuote = false
                facts.oversizedField = nil
                facts.unterminated = false
                facts.resync = nil
                facts.isASCII = true
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
                facts.isASCII = false
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
                    facts.strayQuote = true
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
                if seen >= 0x80 { facts.isASCII = false }
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
                    if facts.resync == nil { facts.resync = (input.inputOffset(at: index), line) }
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
                    facts.textAfterQuote = true
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
            if facts.oversizedField == nil { facts.oversizedField = facts.fieldCount }
        }
    }

    @inline(__always)
    private mutating func appendByte(_ byte: UInt8) {
        if storage.count - fieldStart < maxFieldBytes {
            storage.append(byte)
        } else if facts.oversizedField == nil {
            facts.oversizedField = facts.fieldCount
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
        var fieldCount = facts.fieldCount
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
            facts.fieldCount = fieldCount
        } else {
            guard end - fieldBegin <= maxFieldBytes, fieldCount < maxFields else { return fallBack() }
            ends.append(base + end - start)
            facts.fieldCount = fieldCount + 1
        }
        storage.append(UnsafeBufferPointer(rebasing: buffer[start..<end]))
        fieldStart = storage.count
        facts.isASCII = facts.isASCII && scan.isASCII
        if opensQuote {
            state = .quoted
        } else {
            endRecord(on: buffer[end])
        }
        return (end + 1, !opensQuote)
    }

    @inline(__always)
    private mutating func endField() {
        facts.fieldCount += 1
        if facts.fieldCount <= maxFields {
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
