// swift-tools-version: 6.1
//
// beamforge: MPI batch framework for X-ray beamline data.
// Dependency arrows point one way:
//   beamforge (CLI) → SAXS, Integration, Tomo, Stack → Batch, Formats, Sinograms, Report → Plot, Core, MPI, HDF5, FFT,
//   Cairo, LeastSquares → CMPI, CHDF5, CTIFF, CFFTW, CCairo, CMinpack (system libraries). Core depends on nothing; physics code imports Core, never Batch.
import PackageDescription

// Build settings read from the environment, so that other clusters build without editing this file (the defaults are
// Debian's). A change of these variables needs `--manifest-cache none` (or a clean build) to be seen.
let environment = Context.environment
// pkg-config names of MPI and parallel HDF5: e.g. BEAMFORGE_MPI_PKG=mpich, BEAMFORGE_HDF5_PKG=hdf5 (Spack, EasyBuild).
let mpiPackage = environment["BEAMFORGE_MPI_PKG"] ?? "ompi-c"
let hdf5Package = environment["BEAMFORGE_HDF5_PKG"] ?? "hdf5-openmpi"
// The commit the binary is built from, shown by --version and stored in every output (scripts/install sets it).
let buildCommit = (environment["BEAMFORGE_COMMIT"] ?? "").filter { ($0.isASCII && ($0.isLetter || $0.isNumber)) || "+-.".contains($0) }

// The integration kernel (and the stack workload's resize) works on 8 frames at once in double precision (SIMD8<Double>). x86-64's baseline (SSE2)
// splits each such vector into four; with AVX2 and FMA (the Haswell generation of 2013: Intel since then, AMD Zen, every
// current HPC node) into two. BEAMFORGE_TARGET_CPU picks another CPU (`native`, `skylake-avx512`, `znver3`) or none
// (`generic`: x86-64's baseline, for a binary that must also run on older machines). Other architectures keep their
// defaults unless the variable names a CPU.
#if arch(x86_64)
let targetCPU = environment["BEAMFORGE_TARGET_CPU"] ?? "haswell"
#else
let targetCPU = environment["BEAMFORGE_TARGET_CPU"] ?? "generic"
#endif
let vectorISA: [SwiftSetting] = targetCPU == "generic" || targetCPU.isEmpty ? [] : [.unsafeFlags(["-target-cpu", targetCPU])]

let package = Package(
    name: "beamforge",
    products: [
        .executable(name: "beamforge", targets: ["beamforge"]),
        .library(name: "Batch", targets: ["Batch"]),
        .library(name: "SAXS", targets: ["SAXS"]),
        .library(name: "Integration", targets: ["Integration"]),
        .library(name: "Tomo", targets: ["Tomo"]),
        .library(name: "Stack", targets: ["Stack"]),
        .library(name: "Ptycho", targets: ["Ptycho"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // System libraries (Debian packages). Each owns a shim.h of getters for macros Swift cannot import.
        .systemLibrary(name: "CMPI", pkgConfig: mpiPackage,
                       providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]),
        .systemLibrary(name: "CHDF5", pkgConfig: hdf5Package,
                       providers: [.apt(["libhdf5-openmpi-dev"])]),
        .systemLibrary(name: "CTIFF", pkgConfig: "libtiff-4",
                       providers: [.apt(["libtiff-dev"])]),
        .systemLibrary(name: "CFFTW", pkgConfig: "fftw3", providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(name: "CMinpack", pkgConfig: "cminpack", providers: [.apt(["libcminpack-dev"])]),
        .systemLibrary(name: "CZMQ", pkgConfig: "libzmq", providers: [.apt(["libzmq3-dev"])]),
        // The build's commit as a C string: only C preprocessor definitions carry a value into a build.
        .target(name: "CBuildInfo", cSettings: [.define("BEAMFORGE_COMMIT", to: "\"\(buildCommit)\"")]),

        // The floor every Swift module may stand on: counter-based random streams, the configuration error, running
        // statistics, partitions of an index space, CSV. No dependencies, no C.
        .target(name: "Core"),

        // Thin, safe wrappers: the only Swift modules that make C calls.
        .target(name: "MPI", dependencies: ["CMPI"]),
        .target(name: "HDF5", dependencies: ["CHDF5", "CMPI", "Core", "MPI"], exclude: ["Collectives.md"]),
        .target(name: "FFT", dependencies: ["CFFTW"]),
        .target(name: "Cairo", dependencies: ["CCairo"]),
        // Bounded weighted nonlinear least squares with covariance over MINPACK (cminpack).
        .target(name: "LeastSquares", dependencies: ["CMinpack"]),
        .target(name: "LibTIFF", dependencies: ["CTIFF", "Core"]),
        // ZeroMQ sockets (REQ/REP, PUB/SUB), multipart messages and polls: SAXSDog's transport.
        .target(name: "ZMQ", dependencies: ["CZMQ"]),
        // The operating system's calls: mapped and positioned reads, renames, signals, the terminal; and the build's
        // own facts (its commit).
        .target(name: "POSIX", dependencies: ["Core", "CBuildInfo"]),

        // File formats written and read by the workloads (NXcanSAS and detector stacks through HDF5, .npz archives
        // through ZIPFoundation, frames in place through POSIX).
        .target(name: "Formats", dependencies: [
            "Core", "HDF5", "LibTIFF", "POSIX",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),

        // Figures: line plots with errors, histograms, scatter plots and colour-mapped images with axes, ticks,
        // legends and colour bars, to PNG and SVG. Layout is plain Swift; cairo only strokes and fills.
        .target(name: "Plot", dependencies: ["Cairo"]),
        // Reports: one self-contained HTML page of tables and figures per output directory (each workload says
        // what its page shows), and the reading of meta.csv by column.
        .target(name: "Report", dependencies: ["Core", "Plot"]),

        // The runner every job runs on: partitioning, random streams, collective writes, aggregation, resume.
        .target(name: "Batch", dependencies: [
            "Core", "MPI", "HDF5", "POSIX",
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Sinogram physics shared by the synthetic (Tomo) and real-scan (Stack) workloads: stripe artefacts,
        // absorption, anti-aliased resize, grey levels, the parallel-beam geometry and filtered back-projection.
        .target(name: "Sinograms", dependencies: ["Core", "FFT"], swiftSettings: vectorISA),

        // Workloads.
        .target(name: "SAXS", dependencies: ["Core", "Batch", "Formats", "LibTIFF", "Plot", "Report"]),
        .target(name: "Integration", dependencies: ["Core", "Batch", "Formats", "LeastSquares", "LibTIFF", "POSIX", "Plot", "Report"], swiftSettings: vectorISA),
        .target(name: "Tomo", dependencies: ["Core", "Batch", "Formats", "FFT", "LibTIFF", "Sinograms", "Plot", "Report"]),
        .target(name: "Stack", dependencies: ["Core", "Batch", "Formats", "LibTIFF", "Sinograms", "Plot", "Report"], swiftSettings: vectorISA),
        .target(name: "Ptycho", dependencies: ["Core", "Batch", "Formats", "Plot"]),
        // The resident server's protocol, transport-neutral: SAXSDog's signed JSON requests (canonical text,
        // SHA-512 signature, time window, replay guard, schema), its replies, the network file, and the ZeroMQ
        // endpoints (REP for commands, SUB for feeder events). What a command does is the program's (ServeBackend).
        .target(name: "Serve", dependencies: [
            "Core", "Formats", "POSIX", "ZMQ",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // SAXSDog's datamerge: beamline logs joined onto image times (one process, no MPI).
        .target(name: "Merge", dependencies: ["Core", "Formats", "Plot"]),

        // Command-line layer.
        .executableTarget(name: "beamforge", dependencies: [
            "Core", "POSIX", "Batch", "Formats", "Sinograms", "SAXS", "Integration", "Tomo", "Stack", "Ptycho", "Report", "Plot", "Merge", "Serve", "ZMQ",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Yams", package: "Yams"),
        ], resources: ["saxs", "integrate", "tomo", "stack", "ptycho", "ptycho-qc", "orient"].map { .embedInCode("Defaults/\($0).yml") }),

        // A synthetic job for the runner's multi-rank tests and benchmarks (failure injection, per-item delay).
        .executableTarget(name: "batch-fixture", dependencies: [
            "Batch",
            .product(name: "Logging", package: "swift-log"),
        ], path: "Sources/BatchFixture"),

        // Compute-only timings of the tomo workload for scripts/bench.
        .executableTarget(name: "tomo-bench", dependencies: ["Tomo"], path: "Sources/TomoBench"),

        // Unit tests mirror the modules; Tests/e2e runs the programs under mpirun.
        .testTarget(name: "CoreTests", dependencies: ["Core"]),
        .testTarget(name: "MPITests", dependencies: ["MPI"]),
        .testTarget(name: "HDF5Tests", dependencies: ["HDF5", "MPI"]),
        .testTarget(name: "FormatsTests", dependencies: ["Core", "Formats", "HDF5", "LibTIFF"]),
        .testTarget(name: "SinogramsTests", dependencies: ["Sinograms"]),
        .testTarget(name: "PlotTests", dependencies: ["Plot"]),
        .testTarget(name: "LeastSquaresTests", dependencies: ["LeastSquares"]),
        .testTarget(name: "BatchTests", dependencies: [
            "Core", "Batch", "HDF5", "POSIX", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "SAXSTests", dependencies: ["Core", "SAXS", "Batch", "Formats"]),
        .testTarget(name: "IntegrationTests", dependencies: ["Core", "Integration", "Formats", "LibTIFF", "POSIX", "Batch"]),
        .testTarget(name: "TomoTests", dependencies: ["Core", "Tomo", "Sinograms", "Batch", "FFT"]),
        .testTarget(name: "StackTests", dependencies: ["Core", "Stack"]),
        .testTarget(name: "PtychoTests", dependencies: ["Core", "Ptycho"]),
        .testTarget(name: "MergeTests", dependencies: ["Core", "Merge"]),
        .testTarget(name: "ServeTests", dependencies: ["Core", "Formats", "Serve"]),
        .testTarget(name: "CLITests", dependencies: ["beamforge", "Batch", "Core"]),
    ],
    swiftLanguageModes: [.v6]
)
