import Batch
import Core
import Formats
import Foundation
import LibTIFF

/// Oriented scattering patterns (`beamforge orient`): the frames are the items, split across ranks; one sparse
/// matrix maps a frame to the azimuthal profile I(χ) of every q band in one pass (exact pixel splitting, χ
/// periodic), and each frame's field and time come from its header.
///
/// Output: `orient.h5`, group `/orient`: `chi` (deg), `q_bands` (bands × [lower, upper], Å⁻¹), per frame
/// `profile_I`, `profile_sigma`, `profile_count` (bands × χ bins), `field_mT`, `time_s`; `meta.csv` one row per
/// frame with each band's circular moments.
public struct OrientJob: SourcedJob {
    public let name = "orient"
    public let inputs: FrameInputs
    public let settings: OrientSettings
    public let geometry: OrientGeometry
    /// Per item.
    public let frames: [OrientFrame]
    public let matrix: IntegrationMatrix
    /// The per-pixel q-space maps (stored as `/orient/geometry`).
    public let qMaps: QSpaceMaps
    /// Per pixel, false where `--mask` leaves it out; nil without a mask.
    let valid: [Bool]?
    /// With `--maps`: the grids of I(q, χ) (x = q, y = χ) and I(q∥, q⊥) (x = q∥, y = q⊥) and their matrices.
    public let mapGrids: (qChi: QSpaceHistogram, plane: QSpaceHistogram)?
    let mapMatrices: [IntegrationMatrix]
    public let source: FrameSource
    /// Where the geometry came from, for the file's description.
    let geometrySource: String

    /// Checks the inputs, reads their headers, loads the mask and builds the matrix.
    /// - Parameters:
    ///   - calibration: a SAXSDog or PONI calibration; nil takes the geometry from the inputs' headers (all alike).
    ///   - mask: Fit2D `.msk`, EDF or TIFF, nonzero = masked.
    /// - Throws: ``FormatError`` or ``CalibrationError`` naming the file, key or band at fault.
    public init(inputs: FrameInputs, settings: OrientSettings, calibration: Calibration?, mask: String?) throws {
        let headers = try OrientHeaders(inputs)
        let size = try inputs.firstFrameSize()
        if let calibration {
            geometry = OrientGeometry(calibration: calibration)
            geometrySource = "calibration \(calibration.file)"
        } else {
            var first: (OrientGeometry, String)? = nil
            for (f, file) in inputs.files.enumerated() {
                guard let header = headers.header(file: f, index: 0) else {
                    throw FormatError(file: file.path, message: "no geometry header (\(headers.missing[f] ?? "none")); "
                                      + "give --calibration")
                }
                let g = try OrientGeometry(header: header, source: file.path, rows: size.rows, columns: size.columns)
                if let (known, path) = first, known != g {
                    throw FormatError(file: file.path, message: "its header geometry differs from \(path)'s; one run "
                                      + "takes one geometry: give --calibration or run them apart")
                }
                if first == nil { first = (g, file.path) }
            }
            geometry = first!.0
            geometrySource = "header of \(first!.1)"
        }
        guard geometry.poni.rows == size.rows, geometry.poni.columns == size.columns else {
            throw FormatError(file: inputs.files[0].path, message: "frames are \(size.rows) × \(size.columns) pixels; the "
                              + "calibration's detector is \(geometry.poni.rows) × \(geometry.poni.columns)")
        }
        for file in inputs.files {
            if let known = file.knownFrameSize, known != size {
                throw FormatError(file: file.path, message: "frames are \(known.rows) × \(known.columns) pixels; "
                                  + "\(inputs.files[0].path) has \(size.rows) × \(size.columns)")
            }
        }
        var frames: [OrientFrame] = []
        frames.reserveCapacity(inputs.count)
        for (f, index) in inputs.frames {
            let file = inputs.files[f]
            let header = headers.header(file: f, index: index)
            let title = header?["Title"] ?? header?["Comment"] ?? file.frameName(index)
            let time = headers.endTimes[f] ?? header?["Date"] ?? file.header(index).acquired
            frames.append(try OrientFrame(title: title, time: time, field: settings.field, file: file.path))
        }
        if let bad = settings.plotFrames?.first(where: { $0 >= frames.count }) {
            throw ConfigError(key: "plot_frames", "frame \(bad) is beyond the run's \(frames.count) frames (0 to "
                              + "\(frames.count - 1))")
        }
        self.frames = frames
        self.inputs = inputs
        self.settings = settings
        let valid = try Self.loadMask(mask, rows: size.rows, columns: size.columns)
        self.valid = valid
        matrix = IntegrationMatrix(bands: settings.bands, chiBins: settings.chiBins, geometry: geometry, valid: valid,
                                   solidAngle: settings.solidAngle)
        try Self.checkCoverage(matrix, settings: settings, geometry: geometry, valid: valid)
        qMaps = QSpaceMaps(geometry: geometry, directorDeg: settings.directorDeg)
        if settings.maps {
            let top = qMaps.q.max() ?? 0, n = settings.mapBins
            let grids = (qChi: QSpaceHistogram(x: 0...top, bins: n, y: -180...180, bins: settings.chiBins),
                         plane: QSpaceHistogram(x: -top...top, bins: n, y: -top...top, bins: n))
            mapGrids = grids
            mapMatrices = [
                grids.qChi.matrix(x: qMaps.q, y: qMaps.chiDeg, rows: size.rows, columns: size.columns, valid: valid,
                                  correction: matrix.correction),
                grids.plane.matrix(x: qMaps.qParallel, y: qMaps.qPerpendicular, rows: size.rows, columns: size.columns,
                                   valid: valid, correction: matrix.correction),
            ]
        } else {
            (mapGrids, mapMatrices) = (nil, [])
        }
        var frameSettings = IntegrateSettings()
        frameSettings.maskNegative = settings.maskNegative
        frameSettings.overflow = settings.overflow
        source = FrameSource(inputs: inputs, rows: size.rows, columns: size.columns, settings: frameSettings)
    }

    /// Refuses a band no pixel reaches (naming the detector's q range) and one whose χ bins hold fewer pixels
    /// on average than ``OrientSettings/minPixels``.
    static func checkCoverage(_ matrix: IntegrationMatrix, settings: OrientSettings, geometry: OrientGeometry,
                              valid: [Bool]?) throws {
        let perBin = matrix.pixelsPerBin, n = settings.chiBins
        for (b, band) in settings.bands.enumerated() {
            let bins = perBin[(b * n)..<((b + 1) * n)]
            let reached = bins.filter { $0 > 0 }
            let range = "\(ConfigError.number(band.lower)) to \(ConfigError.number(band.upper)) 1/angstrom"
            guard !reached.isEmpty else {
                let (low, high) = Self.qRange(geometry, valid: valid)
                throw ConfigError(key: "q.\(b)", "the band \(range) lies outside the detector's unmasked pixels "
                                  + "(q from \(String(format: "%.4g", low)) to \(String(format: "%.4g", high)) 1/angstrom)")
            }
            let mean = reached.reduce(0, +) / Double(reached.count)
            guard mean >= settings.minPixels else {
                throw ConfigError(key: "q.\(b)", "the band \(range) gives \(String(format: "%.3g", mean)) pixels per "
                                  + "\(ConfigError.number(settings.chiBinDeg)) deg chi bin on average, fewer than "
                                  + "min_pixels = \(ConfigError.number(settings.minPixels)): widen --dq or --chi-bin")
            }
        }
    }

    /// The smallest and largest q (Å⁻¹) of the unmasked pixel centres.
    static func qRange(_ geometry: OrientGeometry, valid: [Bool]?) -> (Double, Double) {
        let scattering = ScatteringGeometry(.poni(geometry.poni))
        let columns = geometry.poni.columns
        var low = Double.infinity, high = 0.0
        for i in 0..<geometry.poni.rows {
            for j in 0..<columns where valid?[i * columns + j] ?? true {
                let q = geometry.q(twoTheta: scattering.angles(row: Double(i) + 0.5, column: Double(j) + 0.5).twoTheta)
                low = min(low, q)
                high = max(high, q)
            }
        }
        return (low, high)
    }

    /// Per pixel, true where the mask leaves it in: an EDF image, or what `integrate` reads (Fit2D `.msk`, TIFF);
    /// nonzero = masked.
    static func loadMask(_ file: String?, rows: Int, columns: Int) throws -> [Bool]? {
        guard let file else { return nil }
        guard file.lowercased().hasSuffix(".edf") else {
            return try IntegrateJob.loadMask(file, rows: rows, columns: columns, calibration: "--mask")
        }
        let image = try EDFImage(contentsOf: file)
        let block = image.blocks[0]
        guard block.rows == rows, block.columns == columns else {
            throw FormatError(file: file, message: "the mask is \(block.rows) × \(block.columns) pixels; the frames are "
                              + "\(rows) × \(columns)")
        }
        return try image.pixels(0).map { $0 == 0 }
    }
}
