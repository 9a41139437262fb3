import Core

/// The configuration of `beamforge saxs` (keys as in configs/saxs.yml).
///
/// Ranges are `[min, max]`. Sizes and volume fractions are drawn log-uniformly, everything else uniformly. "Size" is
/// the particle's largest outer radius or semi-axis (the outer radius of a core-shell body, the half-length of no
/// cylinder: cylinders draw R and L = ratio × R).
public struct SAXSConfig: Codable, Sendable, Equatable {
    /// Number of curves (4184 per class for nine classes).
    public var n = 37656
    /// Shape classes; counts are balanced (blocks of one curve per class, shuffled from the seed).
    public var classes = ShapeClass.allCases.map(\.rawValue)
    /// Size range in Å (log-uniform): sphere radius, cylinder radius, major semi-axis, outer radius of core-shell
    /// bodies.
    public var size = [50.0, 1000.0]
    /// Hollow sphere (vesicle) outer radius in Å (log-uniform) and inner radius as a fraction of it.
    public var hollowOuterRadius = [70.0, 1000.0]
    public var hollowInnerFraction = [0.5, 0.9]
    /// Cylinder length over radius (L = 1–2 × R); core-shell cylinders apply it to the core.
    public var cylinderLengthRatio = [1.0, 2.0]
    /// Aspect ratio R_polar/R_equatorial of oblate (c/a 0.1–0.77) and prolate (1.3–5.0) bodies and cores.
    public var oblateAspect = [0.1, 0.77]
    public var prolateAspect = [1.3, 5.0]
    /// Shell thickness of core-shell bodies as a fraction of the outer size, so core + shell stays within `size`.
    public var shellFraction = [0.1, 0.5]
    /// Gaussian polydispersity (relative σ) of the size parameter.
    public var polydispersity = [0.0, 0.3]
    /// SLDs in 10⁻⁶ Å⁻²: homogeneous particles and vesicle shells; cores and shells of core-shell bodies; solvent
    /// (9.47 is water at 8 keV).
    public var sld = [11.0, 25.0]
    public var sldCore = [18.0, 40.0]
    public var sldShell = [10.0, 14.0]
    public var sldSolvent = [9.47, 9.47]
    /// Volume fraction range (log-uniform): sasmodels' `scale` (vesicle: `volfraction`).
    public var volumeFraction = [0.001, 0.05]
    /// Flat background of the model in cm⁻¹ (sasmodels' default 0.001).
    public var background = 0.001
    /// `fast` (one Poisson draw per q bin) or `image` (full 2-D frames, then radial averaging).
    public var detector = "fast"
    /// Image mode: keep the frames of the first K curves as TIFF files in DIR/frames/.
    public var saveFrames = 0
    /// The instruments; each curve draws one.
    public var instruments: [Instrument] = [.xeuss, .nanoInXider]

    enum CodingKeys: String, CodingKey {
        case n, classes, size, hollowOuterRadius = "hollow_outer_radius", hollowInnerFraction = "hollow_inner_fraction"
        case cylinderLengthRatio = "cylinder_length_ratio", oblateAspect = "oblate_aspect"
        case prolateAspect = "prolate_aspect", shellFraction = "shell_fraction", polydispersity, sld
        case sldCore = "sld_core", sldShell = "sld_shell", sldSolvent = "sld_solvent"
        case volumeFraction = "volume_fraction", background, detector, saveFrames = "save_frames", instruments
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        func read<T: Decodable>(_ key: CodingKeys, _ value: inout T) throws {
            value = try c.decodeIfPresent(T.self, forKey: key) ?? value
        }
        try read(.n, &n)
        try read(.classes, &classes)
        try read(.size, &size)
        try read(.hollowOuterRadius, &hollowOuterRadius)
        try read(.hollowInnerFraction, &hollowInnerFraction)
        try read(.cylinderLengthRatio, &cylinderLengthRatio)
        try read(.oblateAspect, &oblateAspect)
        try read(.prolateAspect, &prolateAspect)
        try read(.shellFraction, &shellFraction)
        try read(.polydispersity, &polydispersity)
        try read(.sld, &sld)
        try read(.sldCore, &sldCore)
        try read(.sldShell, &sldShell)
        try read(.sldSolvent, &sldSolvent)
        try read(.volumeFraction, &volumeFraction)
        try read(.background, &background)
        try read(.detector, &detector)
        try read(.saveFrames, &saveFrames)
        try read(.instruments, &instruments)
    }

    /// The classes, parsed (valid after ``validate()``).
    public var shapeClasses: [ShapeClass] { classes.compactMap(ShapeClass.init(rawValue:)) }

    /// Checks every value before any work starts.
    public func validate() throws(ConfigError) {
        guard n >= 1 else { throw ConfigError(key: "n", "the number of curves must be at least 1 (got \(n))") }
        guard !classes.isEmpty else { throw ConfigError(key: "classes", "list at least one shape class") }
        for (i, name) in classes.enumerated() where ShapeClass(rawValue: name) == nil {
            throw ConfigError(key: "classes.\(i)", "unknown shape class '\(name)'; known: "
                              + ShapeClass.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard Set(classes).count == classes.count else { throw ConfigError(key: "classes", "a class is listed twice") }
        try Self.checkRange(size, key: "size", lower: 0, lowerOpen: true)
        try Self.checkRange(hollowOuterRadius, key: "hollow_outer_radius", lower: 0, lowerOpen: true)
        try Self.checkRange(hollowInnerFraction, key: "hollow_inner_fraction", lower: 0, lowerOpen: true,
                            upper: 1, what: "r_inner must stay below r_outer")
        try Self.checkRange(cylinderLengthRatio, key: "cylinder_length_ratio", lower: 0, lowerOpen: true)
        try Self.checkRange(oblateAspect, key: "oblate_aspect", lower: 0, lowerOpen: true, upper: 1,
                            what: "oblate bodies have R_polar < R_equatorial")
        try Self.checkRange(prolateAspect, key: "prolate_aspect", lower: 1, lowerOpen: true)
        try Self.checkRange(shellFraction, key: "shell_fraction", lower: 0, lowerOpen: true, upper: 1,
                            what: "the core must keep a positive size")
        try Self.checkRange(polydispersity, key: "polydispersity", lower: 0, lowerOpen: false, upper: 1,
                            what: "a relative width of 1 or more puts a third of the distribution at sizes ≤ 0")
        for (range, key) in [(sld, "sld"), (sldCore, "sld_core"), (sldShell, "sld_shell"), (sldSolvent, "sld_solvent")] {
            try Self.checkRange(range, key: key, lower: nil, lowerOpen: false)
        }
        try checkPhysicalBounds()
        try Self.checkRange(volumeFraction, key: "volume_fraction", lower: 0, lowerOpen: true)
        guard volumeFraction[1] <= 1 else {
            throw ConfigError(key: "volume_fraction", "must not exceed 1 (got \(volumeFraction[1]))")
        }
        try ConfigError.bound(background, key: "background", 0, Self.maxBackground, unit: "1/cm",
                              why: "water scatters 0.016 1/cm")
        guard ["fast", "image"].contains(detector) else {
            throw ConfigError(key: "detector", "must be fast or image (got \(detector))")
        }
        guard saveFrames >= 0 else { throw ConfigError(key: "save_frames", "must be ≥ 0 (got \(saveFrames))") }
        guard saveFrames == 0 || detector == "image" else {
            throw ConfigError(key: "save_frames", "frames exist only with detector: image")
        }
        guard !instruments.isEmpty else { throw ConfigError(key: "instruments", "list at least one instrument") }
        var names = Set<String>()
        for (i, instrument) in instruments.enumerated() {
            try instrument.validate(key: "instruments.\(i)")
            guard names.insert(instrument.name).inserted else {
                throw ConfigError(key: "instruments.\(i).name", "instrument name '\(instrument.name)' is used twice")
            }
        }
    }

    /// The largest particle size in Å: 1 µm, beyond what SAXS resolves (π/q_min is 1000 Å at q_min = 3e-3 1/Å), and
    /// where the quadratures' cost (growing with (q·size)²) stays seconds per curve.
    public static let maxSize = 1e4
    /// The smallest particle size in Å: about one atom.
    public static let minSize = 1.0
    /// The largest |SLD| in 10⁻⁶ Å⁻²: the densest elements (osmium, iridium) reach about 150 for X-rays.
    public static let maxSLD = 1000.0
    /// The largest flat background in 1/cm.
    public static let maxBackground = 1e6

    /// The physical bounds of sizes, shape ratios and SLDs, which keep every intensity and count finite (after the
    /// ordering checks of ``checkRange(_:key:lower:lowerOpen:upper:what:)``).
    private func checkPhysicalBounds() throws(ConfigError) {
        let sizeWhy = "1 Å is an atom; 1e4 Å = 1 µm is beyond the reach of SAXS"
        try ConfigError.bound(range: size, key: "size", Self.minSize, Self.maxSize, unit: "Å", why: sizeWhy)
        try ConfigError.bound(range: hollowOuterRadius, key: "hollow_outer_radius", Self.minSize, Self.maxSize,
                              unit: "Å", why: sizeWhy)
        try ConfigError.bound(range: cylinderLengthRatio, key: "cylinder_length_ratio", 1e-3, 1e3,
                              why: "rods and discs beyond 1000:1 are not particles a SAXS curve resolves")
        try ConfigError.bound(range: prolateAspect, key: "prolate_aspect", 1, 1e3, lowerOpen: true,
                              why: "aspect ratios beyond 1000:1 are not particles a SAXS curve resolves")
        try ConfigError.bound(range: oblateAspect, key: "oblate_aspect", 1e-3, 1,
                              why: "aspect ratios beyond 1000:1 are not particles a SAXS curve resolves")
        for (range, key) in [(sld, "sld"), (sldCore, "sld_core"), (sldShell, "sld_shell"), (sldSolvent, "sld_solvent")] {
            try ConfigError.bound(range: range, key: key, -Self.maxSLD, Self.maxSLD, unit: "1e-6/Å²",
                                  why: "the densest elements reach about 150 for X-rays")
        }
    }

    private static func checkRange(_ range: [Double], key: String, lower: Double?, lowerOpen: Bool,
                                   upper: Double? = nil, what: String = "") throws(ConfigError) {
        guard range.count == 2 else { throw ConfigError(key: key, "must be a range [min, max] (got \(range.count) values)") }
        guard range.allSatisfy(\.isFinite) else { throw ConfigError(key: key, "must be finite (got \(range))") }
        guard range[0] <= range[1] else { throw ConfigError(key: key, "min \(range[0]) is greater than max \(range[1])") }
        if let lower, lowerOpen ? range[0] <= lower : range[0] < lower {
            throw ConfigError(key: key, "must be \(lowerOpen ? ">" : "≥") \(lower) (got \(range[0]))")
        }
        if let upper, range[1] >= upper {
            throw ConfigError(key: key, "must stay below \(upper) (got \(range[1])): \(what)")
        }
    }
}
