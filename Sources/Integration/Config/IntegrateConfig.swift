import Core

/// The config keys of `beamforge integrate`, as read from YAML (configs/integrate.yml documents them, with these
/// defaults). ``settings()`` checks every value and gives the job's typed ``IntegrateSettings``.
public struct IntegrateConfig: Codable, Equatable, Sendable {
    /// SAXSDog calibration (.json) or pyFAI PONI file.
    public var calibration: String?
    /// Frames: TIFF files, directories of TIFF files, HDF5/NeXus stacks, @list files.
    public var inputs: [String] = []
    /// Frames dataset in HDF5 inputs; nil tries the known facility layouts.
    public var dataPath: String?
    public var chi = false
    /// flat, mirror or relpath:DIR (``ChiLayout``).
    public var chiLayout = "mirror"
    /// Read directories with all their sub-directories.
    public var recursive = false
    /// Only files of input directories whose names match this shell wildcard.
    public var pattern: String?
    public var split = "oversampling"
    public var qUnit = "1/nm"
    public var emptyBins = "nan"
    public var maskNegative = true
    public var overflow: Double?
    /// A mask replacing the calibration's (Fit2D .msk or image, nonzero = masked).
    public var mask: String?
    /// Oversampling for PONI calibrations.
    public var oversampling = 1
    /// Solid-angle correction; nil: on for PONI calibrations (pyFAI's default), off for SAXSDog's.
    public var solidAngle: Bool?
    /// pyFAI's polarization factor in [-1, 1] (PONI calibrations); nil: none.
    public var polarization: Double?
    /// Dark and flat-field frames (PONI calibrations; TIFF, the pages of a stack averaged).
    public var dark: String?
    public var flat: String?
    /// Radial bins over pyFAI's default range (PONI calibrations; pyFAI's npt); nil: SAXSDog's bins.
    public var npt: Int?

    enum CodingKeys: String, CodingKey {
        case calibration, inputs, dataPath = "data_path", chi, chiLayout = "chi_layout", recursive, pattern, split, qUnit = "q_unit", emptyBins = "empty_bins"
        case maskNegative = "mask_negative", overflow, mask, oversampling
        case solidAngle = "solid_angle", polarization, dark, flat, npt
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        calibration = try c.decodeIfPresent(String.self, forKey: .calibration)
        inputs = try c.decodeIfPresent([String].self, forKey: .inputs) ?? inputs
        dataPath = try c.decodeIfPresent(String.self, forKey: .dataPath)
        chi = try c.decodeIfPresent(Bool.self, forKey: .chi) ?? chi
        chiLayout = try c.decodeIfPresent(String.self, forKey: .chiLayout) ?? chiLayout
        recursive = try c.decodeIfPresent(Bool.self, forKey: .recursive) ?? recursive
        pattern = try c.decodeIfPresent(String.self, forKey: .pattern)
        split = try c.decodeIfPresent(String.self, forKey: .split) ?? split
        qUnit = try c.decodeIfPresent(String.self, forKey: .qUnit) ?? qUnit
        emptyBins = try c.decodeIfPresent(String.self, forKey: .emptyBins) ?? emptyBins
        maskNegative = try c.decodeIfPresent(Bool.self, forKey: .maskNegative) ?? maskNegative
        overflow = try c.decodeIfPresent(Double.self, forKey: .overflow)
        mask = try c.decodeIfPresent(String.self, forKey: .mask)
        oversampling = try c.decodeIfPresent(Int.self, forKey: .oversampling) ?? oversampling
        solidAngle = try c.decodeIfPresent(Bool.self, forKey: .solidAngle)
        polarization = try c.decodeIfPresent(Double.self, forKey: .polarization)
        dark = try c.decodeIfPresent(String.self, forKey: .dark)
        flat = try c.decodeIfPresent(String.self, forKey: .flat)
        npt = try c.decodeIfPresent(Int.self, forKey: .npt)
    }

    /// Checks every value that needs no file, naming the key at fault: a calibration and at least one input are
    /// named, and the options are known (the files are read by ``Calibration/load(_:maskOverride:oversampling:imageSize:)``
    /// and ``FrameInputs``). A watch (`needsInputs` false) finds its frames as they appear.
    public func validate(needsInputs: Bool = true) throws(ConfigError) {
        _ = try settings()
        guard calibration != nil else {
            throw ConfigError(key: "--calibration", "give a SAXSDog calibration (.json) or a pyFAI PONI file")
        }
        guard !inputs.isEmpty || !needsInputs else { throw ConfigError("no input frames: name TIFF or HDF5 files") }
    }

    /// The job's typed settings, each value checked.
    public func settings() throws(ConfigError) -> IntegrateSettings {
        var options = IntegrateSettings()
        guard let splitting = PixelSplitting(rawValue: split) else {
            throw ConfigError(key: "split", "must be oversampling or full (got '\(split)')")
        }
        options.splitting = splitting
        // pyFAI's unit names are accepted as they are spelled there (integrate1d's `unit`).
        switch qUnit {
        case "1/nm", "q_nm^-1": options.angstrom = false
        case "1/angstrom", "q_A^-1": options.angstrom = true
        case "2th_deg", "2th_rad", "r_mm", "r_m":
            throw ConfigError(key: "q_unit", "'\(qUnit)' is a pyFAI unit beamforge does not bin in (it bins in q): "
                              + "use q_nm^-1 (1/nm) or q_A^-1 (1/angstrom)")
        default: throw ConfigError(key: "q_unit", "must be one of q_nm^-1, q_A^-1 (pyFAI's names), 1/nm, 1/angstrom "
                                   + "(got '\(qUnit)')")
        }
        switch emptyBins {
        case "nan": options.emptyBins = .nan
        case "zero": options.emptyBins = 0
        default: throw ConfigError(key: "empty_bins", "must be nan or zero (got '\(emptyBins)')")
        }
        options.maskNegative = maskNegative
        if let overflow, !overflow.isFinite {
            throw ConfigError(key: "overflow", "must be a finite count (got \(overflow))")
        }
        options.overflow = overflow
        options.chi = chi
        options.chiLayout = try ChiLayout(parsing: chiLayout)
        if let pattern, pattern.isEmpty { throw ConfigError(key: "pattern", "must not be empty") }
        guard (1...16).contains(oversampling) else {
            throw ConfigError(key: "oversampling", "must be from 1 to 16 (got \(oversampling))")
        }
        if let polarization, !(-1...1).contains(polarization) {
            throw ConfigError(key: "polarization", "must be pyFAI's polarization factor, from -1 to 1 (0 unpolarized, "
                              + "1 horizontal; got \(ConfigError.number(polarization)))")
        }
        options.corrections.solidAngle = solidAngle
        options.corrections.polarizationFactor = polarization
        options.corrections.dark = dark
        options.corrections.flat = flat
        if let npt, !(1...1_000_000).contains(npt) {
            throw ConfigError(key: "npt", "must be from 1 to 1000000 radial bins (got \(npt))")
        }
        options.radialBins = npt
        return options
    }
}
