// swift-tools-version: 6.1
// libFuzzer targets for the readers and the mapping transforms, in their own package so the main build
// stays lean. Build and run them with Fuzz/run.sh: everything is compiled with AddressSanitizer and
// libFuzzer's coverage (-sanitize=address -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp, what -sanitize=fuzzer uses), and only the fuzz targets link libFuzzer
// itself (-sanitize=fuzzer), since the build's other executables (the OpenAPI generator plugin's tool)
// have no LLVMFuzzerTestOneInput.
import PackageDescription

let fuzzSettings: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]
let fuzzLinking: [LinkerSetting] = [.unsafeFlags(["-sanitize=fuzzer,address"])]

let package = Package(
    name: "hatif-import-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "hatif-import", path: "..")],
    targets: [
        .target(name: "FuzzDriver", path: "Sources/FuzzDriver"),
        .target(name: "FuzzSupport", dependencies: [.product(name: "HatifImport", package: "hatif-import")], path: "Sources/FuzzSupport"),
        .executableTarget(name: "FuzzCSV", dependencies: ["FuzzSupport", "FuzzDriver"], path: "Sources/FuzzCSV", swiftSettings: fuzzSettings, linkerSettings: fuzzLinking),
        .executableTarget(name: "FuzzVCard", dependencies: ["FuzzSupport", "FuzzDriver"], path: "Sources/FuzzVCard", swiftSettings: fuzzSettings, linkerSettings: fuzzLinking),
        .executableTarget(name: "FuzzXML", dependencies: ["FuzzSupport", "FuzzDriver"], path: "Sources/FuzzXML", swiftSettings: fuzzSettings, linkerSettings: fuzzLinking),
        .executableTarget(name: "FuzzXLSX", dependencies: ["FuzzSupport", "FuzzDriver"], path: "Sources/FuzzXLSX", swiftSettings: fuzzSettings, linkerSettings: fuzzLinking),
        .executableTarget(name: "FuzzZip", dependencies: ["FuzzSupport", "FuzzDriver"], path: "Sources/FuzzZip", swiftSettings: fuzzSettings, linkerSettings: fuzzLinking),
        .executableTarget(
            name: "FuzzTransforms",
            dependencies: ["FuzzSupport", "FuzzDriver", .product(name: "HatifImport", package: "hatif-import")],
            path: "Sources/FuzzTransforms", swiftSettings: fuzzSettings, linkerSettings: fuzzLinking),
    ]
)
