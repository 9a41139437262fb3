import Batch
import Core
import Formats
import Foundation
import Sinograms

/// Everything that determines a `beamforge stack` or `beamforge mask` run over real NeXus scans.
public struct StackSettings: Sendable {
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
        if edgeRows < 0 { throw ConfigError(key: "edge_rows", "must be ≥ 0 (got \(edgeRows))") }
        if frameAngles < 1 { throw ConfigError(key: "frame_angles", "must be at least 1 (got \(frameAngles))") }
        if patchSize.angles < 1 || patchSize.columns < 1 {
            throw ConfigError(key: "patch_size", "must be two positive sizes (got \(patchSize))")
        }
        if sample < 0 || sample > 9999 { throw ConfigError(key: "sample", "must be 0-9999 (got \(sample))") }
        if mode == .paired { try pairedStripes.validate() }
        if mode == .patch { try patchStripes.validate() }
    }

    /// Whether the mode needs a stripe mask.
    public var needsMask: Bool { mode == .paired || mode == .patch }
}

/// A job over the detector rows of a ``ScanSet``, run one chunk of `chunk_size` rows per batch.
public protocol ScanJob: Job {
    var scans: ScanSet { get }
    /// Items in one chunk of rows (dynamic mode: the rows' frames): the runner's batch.
    var itemsPerChunk: Int { get }
    /// Rows read beyond a chunk's own on each side (a stripe mask's ghost rows); 0 when none.
    var ghostRows: Int { get }
}

extension ScanJob {
    /// The rows a chunk of rows `rows` reads: its own and the ghost rows, within the scan.
    func heldRows(_ rows: Range<Int>) -> Range<Int> {
        max(0, rows.lowerBound - ghostRows)..<min(scans.rows, rows.upperBound + ghostRows)
    }
}

/// The scans of a run (the scan and its shifts), opened and checked against each other before any work.
public struct ScanSet: Sendable {
    public struct Member: Sendable {
        public let scan: TomoScan
        /// The scan number (the file name's stem), which names its mask `m<number>`.
        public let number: String
        /// Where this scan's flats and darks come from.
        public let flats: TomoScan
    }

    public let members: [Member]
    public var projections: Int { members[0].scan.projectionFrames.count }
    public var rows: Int { members[0].scan.rows }
    public var columns: Int { members[0].scan.columns }

    /// Opens the scan, its shifts and the flats file.
    /// - Throws: ``FormatError`` or ``ConfigError`` naming the file, dataset or key at fault.
    public init(settings: StackSettings) throws {
        let url = URL(fileURLWithPath: settings.scan)
        let stem = url.deletingPathExtension().lastPathComponent
        let suffix = url.pathExtension.isEmpty ? "" : "." + url.pathExtension
        var files = [(path: settings.scan, number: stem)]
        if settings.shifts > 1 {
            guard let first = Int(stem) else {
                throw ConfigError(key: "shifts", "shift files are named by scan number (N+k\(suffix)), but "
                                  + "\(settings.scan) is not a number")
            }
            for k in 1..<settings.shifts {
                let number = String(first + k * settings.shiftStep)
                files.append((url.deletingLastPathComponent().appendingPathComponent(number + suffix).path, number))
            }
        }
        let missing = files.filter { !FileManager.default.fileExists(atPath: $0.path) }.map(\.path)
        if !missing.isEmpty {
            let what = missing.count == 1 ? "scan file" : "scan files"
            throw ConfigError(key: settings.shifts > 1 ? "shifts" : "scan",
                              "\(what) \(missing.joined(separator: ", ")) not found"
                              + (settings.shifts > 1 ? " (shift k of N\(suffix) is N+k·\(settings.shiftStep)\(suffix))" : ""))
        }
        let flatsScan = try settings.flatsFile.map { try TomoScan(path: $0, paths: settings.flatsPaths, projections: false) }
        var members: [Member] = []
        for file in files {
            let scan = try TomoScan(path: file.path, paths: settings.paths)
            let flats = flatsScan ?? scan
            if flats.flatFrames.isEmpty || flats.darkFrames.isEmpty {
                let lacking = flats.flatFrames.isEmpty && flats.darkFrames.isEmpty ? "flats or darks"
                    : flats.flatFrames.isEmpty ? "flats" : "darks"
                let keys = flats.keysMissing ? " (it has no image key at \(flats.paths.imageKey))" : ""
                throw FormatError(file: flats.path, message: "no \(lacking) (image key 1 and 2 in "
                                  + "\(flats.paths.imageKey))\(keys); pass --flats FILE with flat and dark frames")
            }
            if flats.shape.dropFirst() != scan.shape.dropFirst() {
                throw FormatError(file: flats.path, message: "flat and dark frames of \(flats.rows)×\(flats.columns) "
                                  + "pixels do not match the \(scan.rows)×\(scan.columns) frames of \(scan.path)")
            }
            if let first = members.first {
                guard scan.shape.dropFirst() == first.scan.shape.dropFirst(),
                      scan.projectionFrames.count == first.scan.projectionFrames.count else {
                    throw FormatError(file: scan.path, message: "\(scan.projectionFrames.count) projections of "
                                      + "\(scan.rows)×\(scan.columns) differ from the \(first.scan.projectionFrames.count) "
                                      + "of \(first.scan.rows)×\(first.scan.columns) in \(first.scan.path)")
                }
            }
            members.append(Member(scan: scan, number: file.number, flats: flats))
        }
        self.members = members
    }
}
