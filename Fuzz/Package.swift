// swift-tools-version: 6.1
// libFuzzer targets for the readers and the mapping transforms, in their own package so the main build
// stays lean. Build and run them with Fuzz/run.sh (swift build -Xswiftc -sanitize=fuzzer,address).
import PackageDescription

let fuzzSettings: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "hatif-import-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "hatif-import", path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "HatifImport", package: "hatif-import")], path: "Sources/FuzzSupport"),
        .executableTarget(name: "FuzzCSV", dependencies: ["FuzzSupport"], path: "Sources/FuzzCSV", swiftSettings: fuzzSettings),
        .executableTarget(name: "FuzzVCard", dependencies: ["FuzzSupport"], path: "Sources/FuzzVCard", swiftSettings: fuzzSettings),
        .executableTarget(name: "FuzzXML", dependencies: ["FuzzSupport"], path: "Sources/FuzzXML", swiftSettings: fuzzSettings),
        .executableTarget(
            name: "FuzzTransforms",
            dependencies: ["FuzzSupport", .product(name: "HatifImport", package: "hatif-import")],
            path: "Sources/FuzzTransforms", swiftSettings: fuzzSettings),
    ]
)
