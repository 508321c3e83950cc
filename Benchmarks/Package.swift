// swift-tools-version: 6.1
// Benchmarks live in their own package so the main build stays lean.
import PackageDescription

let package = Package(
    name: "hatif-import-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "hatif-import", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // A plain executable the comparison script runs on large files: records/s and peak RSS.
        .executableTarget(
            name: "ReaderThroughput",
            dependencies: [.product(name: "HatifImport", package: "hatif-import")],
            path: "Sources/ReaderThroughput",
            swiftSettings: [.unsafeFlags(["-Ounchecked"])]
        ),
        // Client CPU per record of read + map + plan, without the network (import-bench.sh runs it).
        .executableTarget(
            name: "PlanThroughput",
            dependencies: [
                .product(name: "HatifImport", package: "hatif-import"),
                .product(name: "HatifAPI", package: "hatif-import"),
            ],
            path: "Sources/PlanThroughput"
        ),
        // 64 requests in flight against the sandbox for 60 seconds: errors other than injected ones fail it.
        .executableTarget(
            name: "LoadTest",
            dependencies: [
                .product(name: "HatifAPI", package: "hatif-import"),
                .product(name: "HatifSandbox", package: "hatif-import"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/LoadTest"
        ),
        // Client CPU per API call, through HatifClient and straight through AsyncHTTPClient (import-bench.sh runs it).
        .executableTarget(
            name: "CallCost",
            dependencies: [
                .product(name: "HatifAPI", package: "hatif-import"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Sources/CallCost"
        ),
        // ordo-one/benchmark suites (swift package benchmark).
        .executableTarget(
            name: "ReaderBenchmarks",
            dependencies: [
                .product(name: "HatifImport", package: "hatif-import"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ReaderBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
