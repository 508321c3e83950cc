// Reads one input file with the importer's reader and prints records/s and peak RSS as JSON.
//
//     ReaderThroughput FILE [csv|vcf|xml]
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
while let item = try opened.next() {
    switch item {
    case .record(let record):
        records += 1
        fields += record.fieldValues.count
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
    {"format":"\(opened.format.rawValue)","records":\(records),"rejects":\(rejects),"fields":\(fields),\
    "seconds":\(String(format: "%.3f", seconds)),"recordsPerSecond":\(Int(Double(records + rejects) / seconds)),\
    "peakRSSMegabytes":\(String(format: "%.1f", peakMegabytes))}
    """)
