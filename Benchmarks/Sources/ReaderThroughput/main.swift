// Reads one input file with the importer's reader and prints records/s and peak RSS as JSON. With
// `MAP=MAPPING` it also maps every record with that mapping, on this one thread (what `validate` does on
// each core, without the reject rows), and prints how many mapped and how many were rejected: a
// single-threaded measure that callgrind can count instructions of.
//
//     [MAP=MAPPING] ReaderThroughput FILE [csv|vcf|xml]
import Foundation
import HatifImport

#if canImport(Glibc)
    import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: ReaderThroughput FILE [csv|vcf|xml]\n".utf8))
    exit(2)
}
var options = ReaderOptions()
if arguments.count >= 3 { options.format = InputFormat(rawValue: arguments[2]) }

let start = ContinuousClock.now
var opened = try options.open(arguments[1])
var records = 0
var rejects = 0
var fields = 0
var valueBytes = 0
let touchStrings = ProcessInfo.processInfo.environment["TOUCH"] == "strings"
let mapper = try ProcessInfo.processInfo.environment["MAP"].map { Mapper(mapping: try MappingFile.load(path: $0)) }
var positions = SourcePositions()
var mapped = 0
var refused = 0
while let item = try opened.next() {
    switch item {
    case .record(let record):
        records += 1
        // Through the optional in place: `if let` copied the mapper (a reference count on each of its
        // parts) for every record, about 4% of this measure's time.
        switch mapper?.map(record, positions: &positions) {
        case .success?:
            mapped += 1
            continue
        case .failure?:
            refused += 1
            continue
        case nil: break
        }
        // Every value is looked at, as the peers make a string of every field; `TOUCH=strings` makes a Swift
        // String of each instead.
        if touchStrings {
            for value in record.fieldValues { valueBytes += value.utf8.count }
        } else {
            record.forEachValue { _, utf8 in valueBytes += utf8.count + Int(utf8.first ?? 0) }
        }
        fields += record.fieldCount
    case .reject:
        rejects += 1
    }
}
let elapsed = ContinuousClock.now - start
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
let peakMegabytes = Double(usage.ru_maxrss) / 1024
print(
    """
    {"format":"\(opened.format.rawValue)","records":\(records),"rejects":\(rejects),"fields":\(fields),"valueBytes":\(valueBytes),\
    "seconds":\(String(format: "%.3f", seconds)),"recordsPerSecond":\(Int(Double(records + rejects) / seconds)),\
    "peakRSSMegabytes":\(String(format: "%.1f", peakMegabytes))\(mapper == nil ? "" : ",\"mapped\":\(mapped),\"mapRejected\":\(refused)")}
    """)
