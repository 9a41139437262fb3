// swift-tools-version: 6.1
//
// libFuzzer targets for beamforge's parsers (issue 20, item 8), in a package of their own so that the main
// Package.swift stays free of fuzzing flags: `scripts/fuzz` builds this package with
// `-Xswiftc -sanitize=fuzzer,address` into `.build-fuzz`, and runs one target per parser, chosen by the
// BEAMFORGE_FUZZ_TARGET environment variable, on the seed corpus in `Fuzz/Corpus/<target>`.
import PackageDescription

let package = Package(
    name: "beamforge-fuzz",
    dependencies: [
        .package(name: "beamforge", path: ".."),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // One executable whose entry point is libFuzzer's `LLVMFuzzerTestOneInput` (libFuzzer supplies `main`).
        // ConfigDocument.swift is a link to the command-line layer's own loader, so the loader the users run is the
        // one fuzzed (an executable target cannot be a dependency).
        .executableTarget(name: "beamforge-fuzz", dependencies: [
            .product(name: "Integration", package: "beamforge"),
            .product(name: "SAXS", package: "beamforge"),
            .product(name: "Tomo", package: "beamforge"),
            .product(name: "Stack", package: "beamforge"),
            .product(name: "Batch", package: "beamforge"),
            .product(name: "Yams", package: "Yams"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
