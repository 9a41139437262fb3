import Foundation
import Core

/// The config keys of `beamforge orient`, as read from YAML (configs/orient.yml documents them, with these
/// defaults). ``settings()`` checks every value and gives the job's typed ``OrientSettings``.
public struct OrientConfig: Codable, Equatable, Sendable {
    /// SAXSDog calibration (.json) or pyFAI PONI file; nil: the geometry from each input's header (ID02, EDF).
    public var calibration: String?
    /// Frames: ID02 HDF5 files, EDF files, TIFF files, HDF5 stacks, directories, @list files.
    public var inputs: [String] = []
    /// Frames dataset in HDF5 inputs; nil tries the known facility layouts (ID02's first).
    public var dataPath: String?
    /// Band centres, Å⁻¹.
    public var q: [Double] = []
    /// Crystallographic reflections (h, k, l), each a band at q = 2π/d_hkl of ``cell`` after the `q` bands.
    public var reflections: [[Int]] = []
    /// The unit cell a, b, c (Å), α, β, γ (degrees) of the reflections.
    public var cell: [Double]?
    /// A CIF file whose `_cell_length_*`/`_cell_angle_*` lines give the cell (read by the command into ``cell``).
    public var cif: String?
    /// Band width, Å⁻¹ (one of dq and dq_rel).
    public var dq: Double?
    /// Band width relative to its centre.
    public var dqRel: Double?
    public var chiBin = 1.0
    public var minPixels = 1.0
    public var solidAngle = false
    public var fieldFrom = "title"
    public var maskNegative = true
    public var overflow: Double?
    /// Mask: Fit2D .msk, EDF or TIFF image, nonzero = masked.
    public var mask: String?
    /// Models fitted to each profile: ms (Maier–Saupe), pv (pseudo-Voigt), comma-separated.
    public var model = "ms,pv"
    /// equatorial (peaks ⊥ the director: rods, chains) or meridional (peaks along it).
    public var reflectionType = "equatorial"
    /// The director's azimuth in the detector plane, degrees, measured like χ (0: along +columns, horizontal).
    public var director = 0.0
    /// Per frame, the 2-D maps I(q, χ) and I(q∥, q⊥).
    public var maps = false
    /// Bins of the maps' q axes.
    public var mapBins = 100
    /// Per frame, SasView's 2-D files in `DIR/sasview/`.
    public var sasview = false
    /// Frames (sequence indices) whose fitted profiles are drawn; nil: a few spread over the run.
    public var plotFrames: [Int]?

    enum CodingKeys: String, CodingKey {
        case calibration, inputs, dataPath = "data_path", q, reflections, cell, cif, dq, dqRel = "dq_rel", chiBin = "chi_bin"
        case minPixels = "min_pixels", solidAngle = "solid_angle", fieldFrom = "field_from"
        case maskNegative = "mask_negative", overflow, mask, model, reflectionType = "reflection_type"
        case plotFrames = "plot_frames", director, maps, mapBins = "map_bins", sasview
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        calibration = try c.decodeIfPresent(String.self, forKey: .calibration)
        inputs = try c.decodeIfPresent([String].self, forKey: .inputs) ?? inputs
        dataPath = try c.decodeIfPresent(String.self, forKey: .dataPath)
        q = try c.decodeIfPresent([Double].self, forKey: .q) ?? q
        reflections = try c.decodeIfPresent([[Int]].self, forKey: .reflections) ?? reflections
        cell = try c.decodeIfPresent([Double].self, forKey: .cell)
        cif = try c.decodeIfPresent(String.self, forKey: .cif)
        dq = try c.decodeIfPresent(Double.self, forKey: .dq)
        dqRel = try c.decodeIfPresent(Double.self, forKey: .dqRel)
        chiBin = try c.decodeIfPresent(Double.self, forKey: .chiBin) ?? chiBin
        minPixels = try c.decodeIfPresent(Double.self, forKey: .minPixels) ?? minPixels
        solidAngle = try c.decodeIfPresent(Bool.self, forKey: .solidAngle) ?? solidAngle
        fieldFrom = try c.decodeIfPresent(String.self, forKey: .fieldFrom) ?? fieldFrom
        maskNegative = try c.decodeIfPresent(Bool.self, forKey: .maskNegative) ?? maskNegative
        overflow = try c.decodeIfPresent(Double.self, forKey: .overflow)
        mask = try c.decodeIfPresent(String.self, forKey: .mask)
        model = try c.decodeIfPresent(String.self, forKey: .model) ?? model
        reflectionType = try c.decodeIfPresent(String.self, forKey: .reflectionType) ?? reflectionType
        plotFrames = try c.decodeIfPresent([Int].self, forKey: .plotFrames)
        director = try c.decodeIfPresent(Double.self, forKey: .director) ?? director
        maps = try c.decodeIfPresent(Bool.self, forKey: .maps) ?? maps
        mapBins = try c.decodeIfPresent(Int.self, forKey: .mapBins) ?? mapBins
        sasview = try c.decodeIfPresent(Bool.self, forKey: .sasview) ?? sasview
    }

    /// Checks every value that needs no file, naming the key at fault.
    public func validate() throws(ConfigError) {
        _ = try settings()
        guard !inputs.isEmpty else { throw ConfigError("no input frames: name ID02 HDF5, EDF, TIFF or HDF5 files") }
    }

    /// The job's typed settings, each value checked.
    public func settings() throws(ConfigError) -> OrientSettings {
        var s = OrientSettings()
        guard !q.isEmpty || !reflections.isEmpty else {
            throw ConfigError(key: "q", "give at least one band centre in 1/angstrom, e.g. --q 0.05,0.10, or a "
                              + "--reflection h,k,l with its --cell")
        }
        for (k, centre) in q.enumerated() {
            try ConfigError.bound(centre, key: "q.\(k)", 0, 100, lowerOpen: true, unit: "1/angstrom")
        }
        var centres = q
        if !reflections.isEmpty {
            guard let cell else {
                let hkl = reflections[0].map(String.init).joined(separator: ",")
                throw ConfigError(key: "reflection", "the reflection \(hkl) needs a unit cell: give --cell "
                                  + "a,b,c,alpha,beta,gamma (angstrom, degrees) or --cif FILE")
            }
            let unitCell = try UnitCell(cell, key: "cell")
            for (k, hkl) in reflections.enumerated() {
                let text = hkl.map(String.init).joined(separator: ",")
                guard hkl.count == 3 else { throw ConfigError(key: "reflection.\(k)", "give h,k,l: three integers (got \(text))") }
                guard hkl != [0, 0, 0] else { throw ConfigError(key: "reflection.\(k)", "0,0,0 is no reflection") }
                let centre = unitCell.q(hkl)
                try ConfigError.bound(centre, key: "reflection.\(k)", 0, 100, lowerOpen: true, unit: "1/angstrom",
                                      why: "q = 2 pi/d of \(text)")
                centres.append(centre)
            }
            s.reflections = reflections
        } else if cell != nil {
            throw ConfigError(key: "cell", "a cell without --reflection has no use: name the reflections h,k,l")
        }
        guard centres.count <= 64 else { throw ConfigError(key: "q", "at most 64 bands (got \(centres.count))") }
        switch (dq, dqRel) {
        case (let width?, nil):
            try ConfigError.bound(width, key: "dq", 0, 10, lowerOpen: true, unit: "1/angstrom")
            s.bands = centres.map { QBand(center: $0, width: width) }
        case (nil, let relative?):
            try ConfigError.bound(relative, key: "dq_rel", 0, 1, lowerOpen: true, unit: "")
            s.bands = centres.map { QBand(center: $0, width: $0 * relative) }
        case (nil, nil): throw ConfigError(key: "dq", "give the band width: --dq W (1/angstrom) or --dq-rel R")
        default: throw ConfigError(key: "dq", "give one of --dq and --dq-rel, not both")
        }
        for (k, band) in s.bands.enumerated() where band.lower <= 0 {
            throw ConfigError(key: "q.\(k)", "the band \(ConfigError.number(band.lower)) to "
                              + "\(ConfigError.number(band.upper)) 1/angstrom reaches q = 0; narrow it")
        }
        try ConfigError.bound(chiBin, key: "chi_bin", 0, 90, lowerOpen: true, unit: "deg")
        let bins = 360 / chiBin
        guard abs(bins - bins.rounded()) < 1e-9 else {
            throw ConfigError(key: "chi_bin", "360 deg must be a whole number of bins (got \(ConfigError.number(chiBin)))")
        }
        s.chiBinDeg = chiBin
        try ConfigError.bound(minPixels, key: "min_pixels", 0, 1e6, unit: "")
        s.minPixels = minPixels
        s.solidAngle = solidAngle
        guard let field = FieldSource(parsing: fieldFrom) else {
            throw ConfigError(key: "field_from", "must be title or none (got '\(fieldFrom)')")
        }
        s.field = field
        s.maskNegative = maskNegative
        if let overflow, !overflow.isFinite { throw ConfigError(key: "overflow", "must be a finite count (got \(overflow))") }
        s.overflow = overflow
        let names = model.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var models: [OrientModel] = []
        for name in names {
            guard let m = OrientModel(rawValue: name) else {
                throw ConfigError(key: "model", "unknown model '\(name)': give ms, pv or ms,pv")
            }
            guard !models.contains(m) else { throw ConfigError(key: "model", "the model \(name) is named twice") }
            models.append(m)
        }
        guard !models.isEmpty else { throw ConfigError(key: "model", "give at least one of ms and pv") }
        s.models = models
        guard let reflection = ReflectionType(rawValue: reflectionType) else {
            throw ConfigError(key: "reflection_type", "must be equatorial or meridional (got '\(reflectionType)')")
        }
        s.reflection = reflection
        if let frames = plotFrames {
            if let bad = frames.first(where: { $0 < 0 }) {
                throw ConfigError(key: "plot_frames", "frame \(bad) is negative (give sequence indices from 0)")
            }
            guard Set(frames).count == frames.count else { throw ConfigError(key: "plot_frames", "a frame is named twice") }
        }
        s.plotFrames = plotFrames
        try ConfigError.bound(director, key: "director", -360, 360, unit: "deg")
        s.directorDeg = director
        guard (2...2000).contains(mapBins) else {
            throw ConfigError(key: "map_bins", "must be from 2 to 2000 (got \(mapBins))")
        }
        (s.maps, s.mapBins, s.sasview) = (maps, mapBins, sasview)
        return s
    }
}
