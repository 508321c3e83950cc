// Client CPU of the import's read + map + plan stages, without the network: reads FILE with the
// importer's reader, maps each record with MAPPING, tracks in-file duplicates, matches each window of
// 2,000 drafts against an in-memory workspace index (a workspace holding every 10th contact) and plans
// every record. Prints CPU µs per record (user + system, from getrusage) and peak RSS as JSON.
//
// The measured pass runs PASSES times (default 5), each with a new reader, duplicate check, matcher and
// planner, and the figure is their median: a pass of 20,000 records takes well under a second of CPU, so
// one pass would report whatever the machine's minute was like. Every pass and the first are printed too.
//
//     PlanThroughput FILE MAPPING [PASSES]
import Foundation
import HatifAPI
import HatifImport

#if canImport(Glibc)
    import Glibc
#endif

/// A workspace index held in memory, filled from the first pass's drafts.
struct MemoryIndex: ContactIndex {
    let contacts: [MatchKeyValue: [ContactDto]]
    func contacts(for values: Set<MatchKeyValue>) async throws -> [MatchKeyValue: [ContactDto]] {
        var found: [MatchKeyValue: [ContactDto]] = [:]
        for value in values { if let hit = contacts[value] { found[value] = hit } }
        return found
    }
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
        + Double(usage.ru_stime.tv_usec) / 1e6
}

/// Runs the measurement (a function, so its state is local rather than main-actor globals).
func measure() async throws {
    let arguments = CommandLine.arguments
    guard arguments.count == 3 || arguments.count == 4, let passes = arguments.count == 4 ? Int(arguments[3]) : 5, passes > 0 else {
        FileHandle.standardError.write(Data("usage: PlanThroughput FILE MAPPING [PASSES]\n".utf8))
        return
    }
    let mapping = try MappingFile.load(path: arguments[2])
    let mapper = Mapper(mapping: mapping)
    let keys: [MatchKey] = [.phone, .email]

    // The workspace: every 10th valid contact of the file, with another first name (so it plans an update).
    var workspace: [MatchKeyValue: [ContactDto]] = [:]
    var seen = 0
    var warmup = try ReaderOptions().open(arguments[1])
    var warmupPositions = SourcePositions()
    while let item = try warmup.next() {
        guard case .record(let record) = item, case .success(let draft) = mapper.map(record, positions: &warmupPositions) else { continue }
        seen += 1
        guard seen % 10 == 0 else { continue }
        let contact = ContactDto(
            id: "c\(seen)", firstName: "Old", lastName: draft.lastName, phoneNumber: draft.phone?.e164, email: draft.email, properties: [],
            creationTime: Date(timeIntervalSince1970: Double(seen)))
        for key in keys { if let value = key.value(of: draft) { workspace[MatchKeyValue(key, value), default: []].append(contact) } }
    }

    let index = MemoryIndex(contacts: workspace)
    var passCPU: [Double] = []
    var passWall: [Double] = []
    var counts: [String: Int] = [:]
    var records = 0
    for pass in 0..<passes {
        let (passCounts, passRecords, cpu, wall) = try await measuredPass(path: arguments[1], mapper: mapper, keys: keys, index: index)
        if pass > 0, passCounts != counts || passRecords != records {
            FileHandle.standardError.write(Data("PlanThroughput: pass \(pass + 1) planned other actions than the first\n".utf8))
            exit(1)
        }
        (counts, records) = (passCounts, passRecords)
        passCPU.append(cpu)
        passWall.append(wall)
    }
    let perRecord = passCPU.map { $0 / Double(records) * 1e6 }
    let median = perRecord.sorted()[perRecord.count / 2]
    let medianPass = perRecord.firstIndex(of: median) ?? 0
    let cpu = passCPU[medianPass]
    let wall = passWall[medianPass]
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let countsJSON = counts.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",")
    print(
        """
        {"records":\(records),"cpuSeconds":\(String(format: "%.3f", cpu)),"cpuMicrosecondsPerRecord":\(String(format: "%.2f", median)),\
        "passes":\(passes),"passMicrosecondsPerRecord":[\(perRecord.map { String(format: "%.2f", $0) }.joined(separator: ","))],\
        "firstPassMicrosecondsPerRecord":\(String(format: "%.2f", perRecord[0])),"wallSeconds":\(String(format: "%.3f", wall)),\
        "peakRSSMegabytes":\(String(format: "%.1f", Double(usage.ru_maxrss) / 1024)),"actions":{\(countsJSON)}}
        """)
}

/// One measured pass over the file: read, map, check in-file duplicates, match in windows of 2,000 and plan.
/// Returns the planned actions' counts, the records read, and the pass's CPU and wall seconds.
func measuredPass(path: String, mapper: Mapper, keys: [MatchKey], index: MemoryIndex) async throws
    -> (counts: [String: Int], records: Int, cpu: Double, wall: Double)
{
    let matcher = ContactMatcher(keys: keys, index: index)
    let planner = Planner()
    var duplicates = InFileDuplicates(keys: keys)
    var counts: [String: Int] = [:]
    var records = 0
    let cpuStart = cpuSeconds()
    let wallStart = ContinuousClock.now
    var reader = try ReaderOptions().open(path)
    var window: [ContactDraft] = []
    var positions = SourcePositions()  // as each mapping task of the run keeps them
    func flush() async throws {
        for (draft, match) in zip(window, try await matcher.match(window)) { counts[planner.plan(draft, match: match).kind.rawValue, default: 0] += 1 }
        window.removeAll(keepingCapacity: true)
    }
    while let item = try reader.next() {
        records += 1
        switch item {
        case .reject: counts["reject", default: 0] += 1
        case .record(let record):
            switch mapper.map(record, positions: &positions) {
            case .failure: counts["reject", default: 0] += 1
            case .success(let draft):
                if duplicates.earlierRecord(for: draft, id: RecordID(fileIndex: 0, ordinal: records)) != nil {
                    counts["merged", default: 0] += 1
                } else {
                    window.append(draft)
                    if window.count == 2_000 { try await flush() }
                }
            }
        }
    }
    try await flush()
    let cpu = cpuSeconds() - cpuStart
    let wall = ContinuousClock.now - wallStart
    return (counts, records, cpu, Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18)
}

try await measure()
