import Batch

/// The configuration of `beamforge saxs` (keys as in configs/saxs.yml).
///
/// Ranges are `[min, max]`; sizes and volume fractions are drawn log-uniformly, SLDs uniformly.
public struct SAXSConfig: Codable, Sendable, Equatable {
    /// Number of curves.
    public var n = 37656
    /// Shape classes, assigned in turn (item i gets class i mod count), so counts are balanced.
    public var classes = ["sphere"]
    /// Sphere radius range in Å (log-uniform).
    public var radius = [50.0, 1000.0]
    /// Particle SLD range in 10⁻⁶ Å⁻² (uniform).
    public var sld = [11.0, 25.0]
    /// Solvent SLD range in 10⁻⁶ Å⁻² (uniform); 9.47 is water at 8 keV.
    public var sldSolvent = [9.47, 9.47]
    /// Volume fraction range (log-uniform): the `scale` of sasmodels.
    public var volumeFraction = [0.001, 0.05]
    /// Flat background in cm⁻¹ (sasmodels' default 0.001).
    public var background = 0.001
    /// The instruments; each curve draws one.
    public var instruments: [Instrument] = [.xeuss, .nanoInXider]

    /// The shape classes this version can generate.
    public static let supportedClasses = ["sphere"]

    enum CodingKeys: String, CodingKey {
        case n, classes, radius, sld, sldSolvent = "sld_solvent", volumeFraction = "volume_fraction", background
        case instruments
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        n = try c.decodeIfPresent(Int.self, forKey: .n) ?? n
        classes = try c.decodeIfPresent([String].self, forKey: .classes) ?? classes
        radius = try c.decodeIfPresent([Double].self, forKey: .radius) ?? radius
        sld = try c.decodeIfPresent([Double].self, forKey: .sld) ?? sld
        sldSolvent = try c.decodeIfPresent([Double].self, forKey: .sldSolvent) ?? sldSolvent
        volumeFraction = try c.decodeIfPresent([Double].self, forKey: .volumeFraction) ?? volumeFraction
        background = try c.decodeIfPresent(Double.self, forKey: .background) ?? background
        instruments = try c.decodeIfPresent([Instrument].self, forKey: .instruments) ?? instruments
    }

    /// Checks every value before any work starts.
    public func validate() throws(ConfigError) {
        guard n >= 1 else { throw ConfigError(key: "n", "the number of curves must be at least 1 (got \(n))") }
        guard !classes.isEmpty else { throw ConfigError(key: "classes", "list at least one shape class") }
        for (i, name) in classes.enumerated() where !Self.supportedClasses.contains(name) {
            throw ConfigError(key: "classes.\(i)", "unknown shape class '\(name)'; this version generates: "
                              + Self.supportedClasses.joined(separator: ", "))
        }
        try Self.checkRange(radius, key: "radius", positive: true)
        try Self.checkRange(sld, key: "sld", positive: false)
        try Self.checkRange(sldSolvent, key: "sld_solvent", positive: false)
        try Self.checkRange(volumeFraction, key: "volume_fraction", positive: true)
        guard volumeFraction[1] <= 1 else {
            throw ConfigError(key: "volume_fraction", "must not exceed 1 (got \(volumeFraction[1]))")
        }
        guard background >= 0, background.isFinite else {
            throw ConfigError(key: "background", "must be a non-negative number of 1/cm (got \(background))")
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

    private static func checkRange(_ range: [Double], key: String, positive: Bool) throws(ConfigError) {
        guard range.count == 2 else { throw ConfigError(key: key, "must be a range [min, max] (got \(range.count) values)") }
        guard range.allSatisfy(\.isFinite) else { throw ConfigError(key: key, "must be finite (got \(range))") }
        guard range[0] <= range[1] else { throw ConfigError(key: key, "min \(range[0]) is greater than max \(range[1])") }
        if positive, range[0] <= 0 { throw ConfigError(key: key, "must be positive (got \(range[0]))") }
    }
}

extension Instrument {
    /// Xenocs Xeuss 1800HR as configured by Monge et al. (Acta Cryst. A 80, 2024): q 0.0031–0.149 Å⁻¹,
    /// 3.43·10⁶ photons/s.
    public static let xeuss = Instrument(name: "xeuss", qMin: 0.0031, qMax: 0.149, qPoints: 300, flux: 3.43e6)
    /// Xenocs NanoInXider HR (Monge et al. 2024): q 0.0019–0.445 Å⁻¹, 7.22·10⁶ photons/s.
    public static let nanoInXider = Instrument(name: "nanoinx", qMin: 0.0019, qMax: 0.445, qPoints: 400, flux: 7.22e6)
}
