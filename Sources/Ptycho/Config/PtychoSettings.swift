import Core

/// The typed, checked settings of `beamforge ptycho-ingest` (from ``PtychoConfig``).
public struct PtychoSettings: Sendable {
    /// The areaDetector HDF5 file.
    public var input = ""
    /// Or a numbered TIFF series (a shell pattern) and its EPICS CSV.
    public var pattern: String?
    public var csv: String?
    /// The frames dataset; nil tries the areaDetector locations (`/entry/instrument/detector/data`, `/entry/data/data`).
    public var dataPath: String?
    /// Stage positions: datasets (one value per frame or per position) and their unit (nil: the file's).
    public var positionX = "/entry/instrument/NDAttributes/SampleX"
    public var positionY = "/entry/instrument/NDAttributes/SampleY"
    public var positionUnit: String?
    /// An extra factor on positions (e.g. −1 for a reversed stage axis).
    public var positionScale = 1.0
    /// Dark frames: a dataset of the input, or the frames of another file (one of them at most).
    public var darkPath: String?
    public var darkFile: String?
    /// Flat (gain) frames: a dataset of the input, or the frames of another file.
    public var flatPath: String?
    public var flatFile: String?
    /// A static mask (non-zero = bad): a dataset of the input, or a TIFF or an HDF5 file (`mask_file_path`).
    public var maskPath: String?
    public var maskFile: String?
    public var maskFilePath = "/mask"
    /// Energy (eV), detector distance (m), pixel size (m): required for HDF5 inputs, from the CSV of a TIFF series
    /// when not given; exposure per frame (s, optional for HDF5).
    public var energy: QuantitySource?
    public var distance: QuantitySource?
    public var pixelSize: QuantitySource?
    public var exposure: Double?
    public var exposurePath: String?
    /// Grouping of consecutive exposures per position.
    public var framesPerPosition = 1
    public var grouping = Grouping.sum
    /// Orientation (clockwise rotation, then flip) as one ptypy orientation.
    public var rotate = 0
    public var flip = "none"
    /// The output window (rows, columns) and its centre; nil keeps the oriented frame.
    public var roi: (rows: Int, columns: Int)?
    public var centre = CentreSpec.auto
    /// Binning of the window by `bin` × `bin` pixels (1: none); the window's sides must be multiples of it.
    public var bin = 1
    /// Only the positions inside this region of stage coordinates are written (nil: all), after grouping.
    public var region: RejectionRule.Region?
    /// Whether to compute ptycho-qc's features while ingesting (`/ptycho/qc_features`, `/ptycho/qc_embedding`)
    /// and score them after the run into `out/qc`, as `ptycho-qc out/ptycho.h5` with its defaults would.
    public var qc = false
    /// Raw counts at or above this are saturated (nil: the maximum of an unsigned stored type, else none).
    public var saturation: Double?
    /// Hot pixels: a mean dark above the median dark by this many robust standard deviations (1.4826·MAD, at
    /// least one count).
    public var hotSigma = 10.0
    /// Dead pixels: a dark-subtracted flat below this fraction of its median.
    public var deadFraction = 0.05

    public init() {}

    /// The orientation of `rotate` and `flip`.
    public var orientation: Orientation { Orientation(rotateClockwise: rotate, flip: flip) }

    /// Checks the values that need no file, naming the key at fault.
    public func validate() throws(ConfigError) {
        switch (input.isEmpty, pattern) {
        case (true, nil): throw ConfigError(key: "input", "missing: name the areaDetector HDF5 file, or a TIFF pattern and csv")
        case (false, .some): throw ConfigError(key: "pattern", "give an HDF5 input or a TIFF pattern, not both")
        case (true, .some) where csv == nil: throw ConfigError(key: "csv", "a TIFF pattern needs its EPICS CSV (csv)")
        default: break
        }
        if pattern != nil {
            // A TIFF series has no datasets to point at: its metadata comes from the CSV (in metres, eV, s).
            let inputPaths: [(String, Bool)] = [
                ("data_path", dataPath != nil), ("dark_path", darkPath != nil), ("flat_path", flatPath != nil),
                ("mask_path", maskPath != nil), ("exposure_path", exposurePath != nil), ("pos_units", positionUnit != nil),
                ("energy_path", energy?.isPath == true), ("distance_path", distance?.isPath == true),
                ("pixel_size_path", pixelSize?.isPath == true),
            ]
            if let (key, _) = inputPaths.first(where: \.1) {
                throw ConfigError(key: key, "names a place in an HDF5 input; a TIFF series takes its metadata from "
                                  + "the EPICS CSV (give dark, flat and mask as files, quantities with units)")
            }
        }
        guard [0, 90, 180, 270].contains(rotate) else {
            throw ConfigError(key: "rotate", "must be 0, 90, 180 or 270 (clockwise degrees; got \(rotate))")
        }
        guard ["none", "h", "v", "hv", "vh"].contains(flip) else {
            throw ConfigError(key: "flip", "must be none, h, v or hv (got '\(flip)')")
        }
        try ConfigError.bound(count: framesPerPosition, key: "frames_per_pos", 1...1000, why: "exposures per scan position")
        if grouping == .none && framesPerPosition != 1 {
            throw ConfigError(key: "grouping", "none keeps every frame as a position: frames_per_pos must be 1 "
                              + "(got \(framesPerPosition))")
        }
        if darkPath != nil && darkFile != nil { throw ConfigError(key: "dark", "give dark or dark_path, not both") }
        if flatPath != nil && flatFile != nil { throw ConfigError(key: "flat", "give flat or flat_path, not both") }
        if maskPath != nil && maskFile != nil { throw ConfigError(key: "mask", "give mask or mask_path, not both") }
        if exposure != nil && exposurePath != nil { throw ConfigError(key: "exposure", "give exposure or exposure_path, not both") }
        if let exposure { try ConfigError.bound(exposure, key: "exposure", 0, 1e6, lowerOpen: true, unit: "s") }
        try PixelBinning.validate(roi: roi, bin: bin, what: "output pattern")
        try ConfigError.bound(positionScale, key: "pos_scale", -1e9, 1e9)
        if positionScale == 0 { throw ConfigError(key: "pos_scale", "must not be 0") }
        if let saturation { try ConfigError.bound(saturation, key: "sat", 0, 1e12, lowerOpen: true, unit: "counts") }
        try ConfigError.bound(hotSigma, key: "hot_sigma", 0, 1e6, lowerOpen: true)
        try ConfigError.bound(deadFraction, key: "dead_fraction", 0, 1)
        if let unit = positionUnit { _ = try Quantity.factor(unit, kind: .length, key: "pos_units") }
    }
}
