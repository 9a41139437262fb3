import Batch
import Core
import Formats

/// `beamforge ptycho-ingest`: one ptychography scan (areaDetector HDF5, or TIFFs with an EPICS CSV) to one file
/// that PtyPy's Hdf5Loader and CXI readers open as it is.
///
/// Items are scan positions: `frames_per_pos` consecutive exposures each, read as one hyperslab by the rank that
/// owns the position. Per position, in this order: dark subtraction (clamped at 0), flat field (normalised to
/// mean 1), grouping, orientation (ptypy's transpose/flipud/fliplr on the frame axes only), the ROI window (padded
/// with masked pixels past the edge), and the per-position mask (static CXI bits and saturation on the raw
/// counts of the exposures used). Positions are in metres, energy in eV (J in the CXI tree).
public struct PtychoIngestJob: SourcedJob {
    public let name = "ptycho"
    public let settings: PtychoSettings
    public let scan: ScanInputs
    public let source: PositionSource
    /// The output window on the raw frames; set by ``prepare(_:)`` when the centre is `auto`.
    public internal(set) var window: FrameWindow
    /// The ROI centre on the oriented frame, in pixels (the centre of mass when `auto`).
    public internal(set) var centre: (row: Double, column: Double)

    /// - Throws: ``ConfigError`` naming the setting or file at fault.
    public init(settings: PtychoSettings, scan: ScanInputs) throws(ConfigError) {
        self.settings = settings
        self.scan = scan
        source = PositionSource(scan: scan, framesPerPosition: settings.framesPerPosition)
        let oriented = settings.orientation.orientedSize(rows: scan.rows, columns: scan.columns)
        switch settings.centre {
        case .auto: centre = (Double(oriented.rows - 1) / 2, Double(oriented.columns - 1) / 2)
        case .given(let r, let c): centre = (r.pixels(along: oriented.rows), c.pixels(along: oriented.columns))
        }
        window = FrameWindow(frameRows: scan.rows, frameColumns: scan.columns, orientation: settings.orientation,
                             roi: settings.roi, centre: centre)
        if window.padded == window.rows * window.columns {
            throw ConfigError(key: "center", "the ROI centred on (\(centre.row), \(centre.column)) misses the "
                              + "\(oriented.rows) × \(oriented.columns) frame")
        }
    }

    /// The number of scan positions.
    public var itemCount: Int { scan.frameCount / settings.framesPerPosition }

    /// Whether the ROI centre is the centre of mass, found in ``prepare(_:)``.
    var findsCentre: Bool { settings.centre == .auto && settings.roi != nil }

    public var metadataColumns: [String] { ["position", "frames", "x_m", "y_m", "sum", "saturated", "status"] }

    /// One position's raw exposures (float32) and its working images.
    public var workingBytesPerItem: Int {
        (settings.framesPerPosition + 2) * scan.rows * scan.columns * 4 + window.rows * window.columns * 5
    }

    /// The detector response and the window's map, held by every rank.
    public var residentBytes: Int { scan.rows * scan.columns * 12 + window.rows * window.columns * 8 }

    /// The exposure of position `p`'s frames: summed for `sum`, their mean for `mean` and `median`, the frame's
    /// own for `first` and `best` (`chosen`).
    func exposure(position p: Int, chosen: Int?) -> Double? {
        guard let e = scan.geometry.exposureS else { return nil }
        let fpp = settings.framesPerPosition, frames = (p * fpp..<(p + 1) * fpp).map { e[$0] }
        if let chosen { return e[p * fpp + chosen] }
        let total = frames.reduce(0, +)
        return settings.grouping == .sum ? total : total / Double(fpp)
    }
}
