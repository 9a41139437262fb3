import Batch
import Core
import Formats
import Foundation
import LibTIFF
import Sinograms

/// `beamforge stack`: training data from real NeXus scans (NoStripesNet's real-data generator).
///
/// Detector rows are the items (for each scan, or each row's frames in dynamic mode), processed in runs of
/// `chunk_size` rows: each rank reads only its rows of every projection, corrects them with the mean flat and dark,
/// takes −ln and resizes each sinogram (anti-aliased) to 402 × 362. The float32 results go to `stack.h5`; the
/// uint16 TIFF tree is written once the range over each whole scan (without its edge rows) is known, so data are
/// quantised once. Paired and patch modes use a stripe mask (an `.npz` archive, or computed on the fly with ghost
/// rows): clean sinograms or patches get synthetic stripes, striped ones are kept as real artefacts.
public struct StackJob: ScanJob {
    public let name = "stack"
    public let settings: StackSettings
    public let scans: ScanSet
    /// Reads each batch's rows (and stored mask rows) for the runner.
    public let source: ScanSource

    /// Dynamic mode: frames per row.
    let frames: Int
    /// Patch mode: the crop origin, patches along angles and along columns.
    let patchOrigin: (angle: Int, column: Int)
    let patchGrid: (angles: Int, columns: Int)
    /// The `--mask` file, in paired and patch modes.
    let storedMasks: StoredMasks?

    /// - Throws: ``ConfigError`` or ``FormatError`` naming the setting, file or dataset at fault.
    public init(settings: StackSettings) throws {
        try settings.validate()
        self.settings = settings
        scans = try ScanSet(settings: settings)
        let (A, R, X) = (scans.projections, scans.rows, scans.columns)
        if settings.needsMask && settings.maskFile == nil { try settings.mask.validate(angles: A, rows: R, columns: X) }
        if settings.needsMask, let file = settings.maskFile {
            storedMasks = try StoredMasks(path: file, scans: scans)
        } else {
            storedMasks = nil
        }
        frames = A / (2 * settings.frameAngles)
        if settings.mode == .dynamic && frames < 1 {
            throw ConfigError(key: "frame_angles", "a frame of \(settings.frameAngles) angles needs at least "
                              + "\(2 * settings.frameAngles) projections; the scan has \(A)")
        }
        patchGrid = (A / settings.patchSize.angles, X / settings.patchSize.columns)
        patchOrigin = ((A - patchGrid.angles * settings.patchSize.angles) / 2,
                       (X - patchGrid.columns * settings.patchSize.columns) / 2)
        if settings.mode == .patch && (patchGrid.angles < 1 || patchGrid.columns < 1) {
            throw ConfigError(key: "patch_size", "patches of \(settings.patchSize.angles)×"
                              + "\(settings.patchSize.columns) do not fit sinograms of \(A)×\(X)")
        }
        if settings.mode == .dynamic && settings.shifts > 1 {
            throw ConfigError(key: "shifts", "dynamic mode reads one scan (its file names have no shift); got \(settings.shifts)")
        }
        source = ScanSource(scans: scans, itemsPerRow: settings.mode == .dynamic ? frames : 1,
                            ghostRows: Self.computesMask(settings) ? settings.mask.ghostRows : 0,
                            storedMasks: storedMasks)
    }

    // MARK: Items and outputs

    var itemsPerRow: Int { settings.mode == .dynamic ? frames : 1 }
    public var ghostRows: Int { computesMask ? settings.mask.ghostRows : 0 }
    public var itemCount: Int { scans.members.count * scans.rows * itemsPerRow }
    public var itemsPerChunk: Int { settings.chunkSize * itemsPerRow }

    /// The (angles, columns) of one output sinogram.
    var sinogramShape: [Int] {
        let angles = settings.mode == .dynamic ? settings.frameAngles : scans.projections
        return settings.downsample ? [settings.outputShape.angles, settings.outputShape.columns] : [angles, scans.columns]
    }
    var patchCount: Int { patchGrid.angles * patchGrid.columns }
    var patchShape: [Int] { [patchCount, settings.patchSize.angles, settings.patchSize.columns] }

    /// The dataset whose range over each scan scales the TIFFs.
    var scaledOutput: String { settings.mode == .paired ? "stripe" : "sinogram" }

    /// The sinograms (raw and dynamic modes) or the striped ones with `clean` beside them (paired, patch).
    public var defaultPlot: DefaultPlot? {
        switch settings.mode {
        case .raw, .dynamic: DefaultPlot(signal: "sinogram")
        case .paired: DefaultPlot(signal: "stripe", auxiliarySignals: ["clean"])
        case .patch: DefaultPlot(signal: "stripe", auxiliarySignals: ["clean"])
        }
    }

    public var outputs: [OutputSpec] {
        switch settings.mode {
        case .raw: rawOutputs
        case .dynamic: dynamicOutputs
        case .paired: pairedOutputs
        case .patch: patchOutputs
        }
    }

    /// The dimensions of a sinogram dataset's items (a description; NeXus reserves `axes` for NXdata groups).
    static let sinogramDimensions: AttributeValue = .string("angle, column")

    /// What the sinogram datasets hold.
    var absorptionDescription: String {
        "-ln((projection - dark) / max(flat - dark, 1e-6)) of the mean flat and dark"
            + (settings.downsample ? ", resized with anti-aliasing (scikit-image resize, order 1)" : "")
    }

    /// The `sinogram` dataset of raw and dynamic modes.
    var sinogramOutput: OutputSpec {
        OutputSpec("sinogram", type: .float32, itemShape: sinogramShape, attributes: [
            "dimensions": Self.sinogramDimensions, "description": .string(absorptionDescription),
        ])
    }

    public var statistics: [StatisticsSpec] {
        guard settings.mode != .patch else { return [] }
        let perScan = scans.rows * itemsPerRow
        return [StatisticsSpec(dataset: scaledOutput, byItem: true,
                               groups: ItemGroups(size: perScan, margin: settings.edgeRows * itemsPerRow))]
    }

    public var metadataColumns: [String] { ["item", "scan", "shift", "row", "frame", "real_artifact", "min", "max"] }

    public var groupAttributes: [String: AttributeValue] {
        [
            "mode": .string(settings.mode.rawValue),
            "scans": .string(scans.members.map(\.scan.path).joined(separator: ", ")),
            "flats": .string(scans.members.map(\.flats.path).joined(separator: ", ")),
            "data_path": .string(settings.paths.data),
            "projections": .int(Int64(scans.projections)),
            "rows": .int(Int64(scans.rows)),
            "columns": .int(Int64(scans.columns)),
            "item_order": .string(settings.mode == .dynamic ? "row, frame" : "scan, row"),
            "tiff_scaling": .string(settings.mode == .patch
                ? "each row's clean range (min, max) to 0-65535"
                : "the range of /stack/\(scaledOutput) over each scan without its first and last "
                    + "\(settings.edgeRows) rows (/stats) to 0-65535, clipped, rounded"),
        ]
    }

    public func constants(timestamp: String) -> [ConstantSpec] {
        guard let angles = scans.members[0].scan.angles else { return [] }
        return [ConstantSpec("rotation_angle", .float64(angles), attributes: ["units": .string("degree")])]
    }

    /// Whether the stripe mask is computed here (no `--mask` archive), from slabs with ghost rows.
    var computesMask: Bool { Self.computesMask(settings) }

    /// Whether a run with `settings` computes its stripe mask (a mode that needs one, no `--mask` file).
    static func computesMask(_ settings: StackSettings) -> Bool { settings.needsMask && settings.maskFile == nil }

    /// Per row: the slab (uint16 counts or float absorption, with ghost rows when computing masks, and the mask's
    /// workspace), the mask, and one resize.
    public var workingBytesPerItem: Int {
        let plane = scans.projections * scans.columns
        let chunk = max(1, min(settings.chunkSize, scans.rows))
        let slab = plane * (scans.members.allSatisfy(\.scan.storesUInt16) ? 2 : 4)
        var perChunk = slab * chunk + (settings.needsMask ? plane * chunk : 0)
        if computesMask {
            perChunk += slab * 2 * settings.mask.ghostRows
                + StripeMask.workspaceBytes(angles: scans.projections, columns: scans.columns, settings: settings.mask)
        }
        return perChunk / chunk / itemsPerRow + settings.outputShape.angles * scans.columns * 4
    }
}
