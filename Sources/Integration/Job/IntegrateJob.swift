import Batch
import Core
import Formats
import Foundation
import LibTIFF

/// Integration of detector frames: the frames are the items, split across ranks; every integration of the
/// calibration (its `Masks` list, then its GISAXS `Slices`) is a sparse matrix built once per rank and applied to
/// blocks of frames.
///
/// Output: `integrated.h5`, an NXcanSAS file whose entry `/integrated` holds one SASdata group per radial
/// integration (`sasdata01`: `I`, `Idev` as frames × bins, `Q`), an NXdata group per phi-mode integration
/// (`phi02`) and per GISAXS cut (`cut03`, axis `q`); with ``IntegrateSettings/chi``, `chi/<frame>.chi` files as
/// SAXSDog writes them. Groups and files are numbered by SAXSDog's list (Masks, then Slices), so in GISAXS mode,
/// which skips the first integration, numbering still starts at 2.
public struct IntegrateJob: SourcedJob {
    public let name = "integrated"
    public let calibration: Calibration
    public let inputs: FrameInputs
    public let options: IntegrateSettings
    /// Per integration and slice; built by ``prepare(_:)`` when the job was made with `matrices: nil`.
    public internal(set) var matrices: [IntegrationMatrix]
    /// How to build each matrix.
    private let recipes: [MatrixRecipe]
    /// pyFAI's per-pixel norm and dark of a PONI calibration; nil without corrections.
    let normalization: PixelNormalization?
    /// Each matrix's index in SAXSDog's list of Masks then Slices.
    public let saxsdogIndices: [Int]
    /// The calibration as Python's `json.dumps` writes it (the first line of every `.chi` file).
    let calibrationDump: String
    /// Reads each batch's frames for the runner.
    public let source: FrameSource
    /// Per frame, its first `.chi` file's path without `.chi` (empty without ``IntegrateSettings/chi``).
    let chiBases: [String]

    /// Checks the inputs against the calibration and loads the masks; the matrices (most of the set-up) are built
    /// with `build`, or shared by the run's ranks in ``prepare(_:)`` when nil.
    public init(calibration: Calibration, inputs: FrameInputs, options: IntegrateSettings,
                matrices build: SharedBuild? = .serial) throws {
        let rows = calibration.geometry.rows, columns = calibration.geometry.columns
        // Files whose size is known up front are checked now, the others as their frames are read.
        for file in inputs.files {
            if let size = file.knownFrameSize, size != (rows, columns) {
                throw FormatError(file: file.path, message: "frames are \(size.rows) × \(size.columns) pixels; the "
                                  + "calibration's Imagesize is \(rows) × \(columns)")
            }
        }
        self.calibration = calibration
        self.inputs = inputs
        self.options = options
        source = FrameSource(inputs: inputs, rows: rows, columns: columns, settings: options)
        calibrationDump = calibration.json?.pythonDumps ?? "{}"
        chiBases = options.chi ? options.chiLayout.bases(for: inputs) : []
        var masks: [Int: [Bool]?] = [:]
        func valid(_ m: Int) throws -> [Bool]? {
            if let loaded = masks[m] { return loaded }
            let loaded = try Self.loadMask(calibration.integrations[m].maskFile, rows: rows, columns: columns,
                                           calibration: calibration.file)
            masks[m] = loaded
            return loaded
        }
        var recipes: [MatrixRecipe] = [], saxsdogIndices: [Int] = []
        // SAXSDog's GISAXS mode writes the slices only, not the first integration.
        if options.radialBins != nil, case .fit2d = calibration.geometry {
            throw CalibrationError(calibration.file, "--npt applies to PONI calibrations only; a SAXSDog calibration "
                                   + "sets its bins by Masks[].PixelPerRadialElement")
        }
        for (m, var settings) in calibration.integrations.enumerated() where !(calibration.gisaxsMode && m == 0) {
            if !settings.phiMode { settings.radialBins = options.radialBins }
            recipes.append(.integration(settings, valid: try valid(m),
                                        splitting: settings.phiMode ? .oversampling : options.splitting))
            saxsdogIndices.append(m)
        }
        if !calibration.slices.isEmpty {
            guard case .fit2d(let geometry) = calibration.geometry else {
                throw CalibrationError(calibration.file, "Slices need a SAXSDog geometry")
            }
            for (s, cut) in calibration.slices.enumerated() {
                recipes.append(.cut(cut, geometry: geometry, valid: try cut.maskIndex.map(valid) ?? nil))
                saxsdogIndices.append(calibration.integrations.count + s)
            }
        }
        self.recipes = recipes
        self.saxsdogIndices = saxsdogIndices
        normalization = try PixelNormalization.make(options.corrections, calibration: calibration)
        matrices = []
        if let build { prepare(build) }
    }

    /// Whether the calibration is a pyFAI PONI file (which takes pyFAI's corrections and defaults).
    public var isPONI: Bool { if case .poni = calibration.geometry { true } else { false } }

    /// Whether pyFAI's normalization (solid angle, polarization factor, dark or flat) applies.
    public var normalizes: Bool { normalization != nil }

    /// How one matrix is built.
    enum MatrixRecipe {
        case integration(IntegrationSettings, valid: [Bool]?, splitting: PixelSplitting)
        case cut(SliceSettings, geometry: Fit2DGeometry, valid: [Bool]?)
    }

    /// Builds the integration matrices (when not built yet), their passes spread over the run's ranks.
    public mutating func prepare(_ build: SharedBuild) {
        guard matrices.isEmpty else { return }
        matrices = recipes.map { recipe in
            switch recipe {
            case .integration(let settings, let valid, let splitting):
                IntegrationMatrix(calibration: calibration, settings: settings, valid: valid, splitting: splitting,
                                  build: build, normalization: normalization)
            case .cut(let cut, let geometry, let valid):
                IntegrationMatrix(cut: cut, geometry: geometry, wavelength: calibration.wavelength, valid: valid)
            }
        }
    }

    /// Per pixel, true where the mask leaves it in: a Fit2D `.msk` or an image (nonzero = masked).
    public static func loadMask(_ file: String?, rows: Int, columns: Int, calibration: String) throws -> [Bool]? {
        guard let file else { return nil }
        guard FileManager.default.fileExists(atPath: file) else {
            throw CalibrationError(calibration, "MaskFile: \(file) does not exist")
        }
        let masked: [Bool], size: (Int, Int)
        if file.lowercased().hasSuffix(".msk") {
            let mask = try Fit2DMask(contentsOf: file)
            (masked, size) = (mask.masked, (mask.height, mask.width))
        } else {
            let image = try TIFF.read(file)
            (masked, size) = (image.pixels.map { $0 != 0 }, (image.rows, image.columns))
        }
        guard size == (rows, columns) else {
            throw CalibrationError(calibration, "MaskFile \(file) is \(size.0) × \(size.1) pixels; the detector is "
                                   + "\(rows) × \(columns)")
        }
        return masked.map { !$0 }
    }
}
