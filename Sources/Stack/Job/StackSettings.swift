import Core
import Formats
import Sinograms

/// Everything that determines a `beamforge stack` or `beamforge mask` run over real NeXus scans.
public struct StackSettings: Sendable {
    /// What `stack` makes of each row; each mode has its file in Modes/ (StackJob+RawMode.swift, …).
    public enum Mode: String, Sendable, CaseIterable { case raw, paired, dynamic, patch }

    public var mode: Mode = .raw
    /// Scan `N.nxs`; shift k is `N+k·shiftStep.nxs` in the same folder.
    public var scan = ""
    public var paths = ScanPaths()
    /// A separate file with the flats and darks (its frames at `flatsPaths`), instead of those in each scan.
    public var flatsFile: String?
    public var flatsPaths = ScanPaths()
    /// Scans to process: N, N+step, … (NoStripesNet's code default 1; its README says 5).
    public var shifts = 1
    /// The scan-number step between shifts (NoStripesNet uses N+k: step 1).
    public var shiftStep = 1
    /// Detector rows read and processed at once per rank.
    public var chunkSize = 243
    /// Downsample each sinogram to `outputShape` (angles, columns); false keeps the full size.
    public var downsample = true
    public var outputShape = (angles: 402, columns: 362)
    /// Rows left out at each end of a scan when the global range is taken.
    public var edgeRows = 20
    /// Dynamic mode: angles per frame (frames use every other block of this many angles).
    public var frameAngles = 900
    /// Patch mode: (angles, columns) of a patch.
    public var patchSize = (angles: 1801, columns: 256)
    /// The sample number in file names (`ssss`).
    public var sample = 0
    /// A NoStripesNet mask archive (.npz with `m<scan>` arrays) or the `mask.h5` of a `beamforge mask` run; without
    /// it, paired and patch modes compute masks.
    public var maskFile: String?
    public var mask = StripeMaskSettings()
    /// Synthetic stripes on clean sinograms (paired; the kind is drawn per sinogram) and clean patches (patch).
    public var pairedStripes = StripeSettings(percentage: 1, maxThickness: 2, intensity: 0.2, kind: .partial,
                                              variability: 0.005)
    public var patchStripes = StripeSettings(percentage: 0.4, maxThickness: 6, intensity: 0.2, kind: .full,
                                             variability: 0)

    public init() {}

    /// Throws for the first setting that makes no sense, naming its config key (the files are checked by ``ScanSet``).
    public func validate() throws(ConfigError) {
        if scan.isEmpty { throw ConfigError(key: "scan", "name the NeXus scan to process") }
        if shifts < 1 { throw ConfigError(key: "shifts", "must be at least 1 (got \(shifts))") }
        if shiftStep < 1 { throw ConfigError(key: "shift_step", "(--shiftstep) must be at least 1 (got \(shiftStep))") }
        if chunkSize < 1 { throw ConfigError(key: "chunk_size", "(--chunk-size) must be at least 1 (got \(chunkSize))") }
        if outputShape.angles < 1 || outputShape.columns < 1 {
            throw ConfigError(key: "output_shape", "must be two positive sizes (got \(outputShape))")
        }
        try ConfigError.bound(count: max(outputShape.angles, outputShape.columns), key: "output_shape",
                              1...Self.maxSide, why: "angles or columns of a sinogram; scans have a few thousand")
        if edgeRows < 0 { throw ConfigError(key: "edge_rows", "must be ≥ 0 (got \(edgeRows))") }
        try ConfigError.bound(count: edgeRows, key: "edge_rows", 0...Self.maxSide, why: "rows of a detector")
        try ConfigError.bound(count: shifts, key: "shifts", 1...1000, why: "scans of one sample; NoStripesNet uses 5")
        try ConfigError.bound(count: shiftStep, key: "shift_step", 1...1_000_000, why: "scan numbers between shifts")
        if frameAngles < 1 { throw ConfigError(key: "frame_angles", "must be at least 1 (got \(frameAngles))") }
        if patchSize.angles < 1 || patchSize.columns < 1 {
            throw ConfigError(key: "patch_size", "must be two positive sizes (got \(patchSize))")
        }
        try ConfigError.bound(count: max(patchSize.angles, patchSize.columns), key: "patch_size", 1...Self.maxSide,
                              why: "angles or columns of a patch; scans have a few thousand")
        if sample < 0 || sample > 9999 { throw ConfigError(key: "sample", "must be 0-9999 (got \(sample))") }
        if mode == .paired { try pairedStripes.validate(key: "paired_stripes") }
        if mode == .patch { try patchStripes.validate(key: "patch_stripes") }
    }

    /// The largest side of a sinogram or patch the settings may ask for.
    public static let maxSide = 100_000

    /// Whether the mode needs a stripe mask.
    public var needsMask: Bool { mode == .paired || mode == .patch }
}
