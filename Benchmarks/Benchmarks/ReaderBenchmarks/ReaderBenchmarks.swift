import Benchmark
import Foundation
import HatifImport

/// Parse throughput of each reader on 100,000 records made by the sample generator.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .peakMemoryResident, .mallocCountTotal],
        maxDuration: .seconds(20), maxIterations: 5)

    let folder = FileManager.default.temporaryDirectory.appending(path: "hatif-reader-benchmarks")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)

    for format in SampleFormat.allCases {
        let path = folder.appending(path: "sample-100k.\(format.rawValue)").path
        if !FileManager.default.fileExists(atPath: path) {
            try? SampleWriter(format: format, dialect: .google, output: BufferedWriter(path: path))
                .write(count: 100_000, generator: SampleGenerator(seed: 1))
        }
        Benchmark("Read 100k \(format.rawValue) records") { benchmark in
            for _ in benchmark.scaledIterations {
                var opened = try ReaderOptions().open(path)
                var count = 0
                while let _ = try opened.next() { count += 1 }
                blackHole(count)
            }
        }
    }
}
