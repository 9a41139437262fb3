import Foundation

/// libFuzzer's callback: hands each input to the parser that BEAMFORGE_FUZZ_TARGET names.
///
/// A parser may throw (that is its answer to bad input); anything else — a trap, a memory error, a hang, an
/// allocation above libFuzzer's `-malloc_limit_mb` — is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.selected.run(size == 0 ? Data() : Data(bytes: data!, count: size))
    return 0
}

/// libFuzzer's driver, for a `main` of our own: SwiftPM links every executable's entry point as `main`, so
/// libFuzzer's own `main` (which would call `LLVMFuzzerTestOneInput`) is never linked in.
@_silgen_name("LLVMFuzzerRunDriver")
func fuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// The fuzzed parsers, one per input format.
enum FuzzTarget: String, CaseIterable {
    /// YAML run configurations through the command line's loader into every workload's configuration.
    case config
    /// SAXSDog JSON and pyFAI PONI calibrations.
    case calibration
    /// Fit2D `.msk` masks.
    case msk
    /// TIFF frames (libtiff under the LibTIFF wrapper).
    case tiff
    /// NeXus tomography scans and HDF5 frame stacks.
    case nexus
    /// The metadata spool and meta.csv rows that `--resume` reads back.
    case csv
    /// `.chi` curve files as `beamforge plot` reads them.
    case chi
    /// EDF frames (ESRF/LGC) as `integrate` and `orient` read them.
    case edf

    /// The target named by BEAMFORGE_FUZZ_TARGET (the process stops with a message when it names none).
    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["BEAMFORGE_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("beamforge-fuzz: set BEAMFORGE_FUZZ_TARGET to one of \(names)\n".utf8))
            exit(2)
        }
        return target
    }()

    func run(_ data: Data) {
        switch self {
        case .config: ConfigFuzzing.run(data)
        case .calibration: CalibrationFuzzing.run(data)
        case .msk: MaskFuzzing.run(data)
        case .tiff: TIFFFuzzing.run(data)
        case .nexus: NeXusFuzzing.run(data)
        case .csv: CSVFuzzing.run(data)
        case .chi: ChiFuzzing.run(data)
        case .edf: EDFFuzzing.run(data)
        }
    }
}
