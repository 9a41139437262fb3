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
/// counts of the exposures used), then optional binning (sums of `bin` × `bin` pixels). With a region only the
/// positions inside it are items. Positions are in metres, energy in eV (J in the CXI tree).
public struct PtychoIngestJob: SourcedJob {
    public let name = "ptycho"
    public let settings: PtychoSettings
    public let scan: ScanInputs
    public let source: PositionSource
    /// Item k is scan position `positions[k]`: every position, or those inside the settings' region.
    public let positions: [Int]
    /// The output window on the raw frames; set by ``prepare(_:)`` when the centre is `auto`.
    public internal(set) var window: FrameWindow
    /// The ROI centre on the oriented frame, in pixels (the centre of mass when `auto`).
    public internal(set) var centre: (row: Double, column: Double)

    /// - Throws: ``ConfigError`` naming the setting or file at fault.
    public init(settings: PtychoSettings, scan: ScanInputs) throws(ConfigError) {
        self.settings = settings
        self.scan = scan
        let fpp = settings.framesPerPosition, all = scan.frameCount / fpp
        // Selection after grouping: a position is where its first exposure was taken.
        positions = settings.region.map { region in
            (0..<all).filter { region.contains(x: scan.geometry.x[$0 * fpp], y: scan.geometry.y[$0 * fpp]) }
        } ?? Array(0..<all)
        if positions.isEmpty, let region = settings.region {
            let (x, y) = (scan.geometry.x, scan.geometry.y)
            throw ConfigError(key: region.key, "selects none of the \(all) positions (stage x \(x.min() ?? 0)…\(x.max() ?? 0) m, "
                              + "y \(y.min() ?? 0)…\(y.max() ?? 0) m)")
        }
        source = PositionSource(scan: scan, framesPerPosition: fpp, positions: positions)
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
        guard window.rows % settings.bin == 0, window.columns % settings.bin == 0 else {
            throw ConfigError(key: "bin", "the \(window.rows) × \(window.columns) pattern is not a multiple of bin "
                              + "\(settings.bin) along both sides: give an roi that is")
        }
    }

    /// The number of scan positions written (all, or those the region selects).
    public var itemCount: Int { positions.count }

    /// The binning of the window (factor 1 when `bin` is 1).
    public var binning: PixelBinning {
        PixelBinning(factor: settings.bin, rows: window.rows, columns: window.columns)
    }

    /// The written patterns' rows and columns (the window, binned).
    public var patternSize: (rows: Int, columns: Int) { (binning.binnedRows, binning.binnedColumns) }

    /// The written patterns' centre pixel (ptypy's `center`: rows / 2, columns / 2 of the binned window).
    public var patternCentre: (row: Int, column: Int) { (patternSize.rows / 2, patternSize.columns / 2) }

    /// The written patterns' pixel size (m): the detector's times `bin`.
    public var patternPixelM: Double { scan.geometry.pixelM * Double(settings.bin) }

    /// Whether the ROI centre is the centre of mass, found in ``prepare(_:)``.
    var findsCentre: Bool { settings.centre == .auto && settings.roi != nil }

    public var metadataColumns: [String] { ["position", "source_position", "frames", "x_m", "y_m", "sum", "saturated", "status"] }

    /// One position's raw exposures (float32) and its working images.
    public var workingBytesPerItem: Int {
        (settings.framesPerPosition + 2) * scan.rows * scan.columns * 4 + window.rows * window.columns * 5
    }

    /// The detector response and the window's map, held by every rank.
    public var residentBytes: Int { scan.rows * scan.columns * 12 + window.rows * window.columns * 8 + positions.count * 8 }

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
