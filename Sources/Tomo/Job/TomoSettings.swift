import Core
import Sinograms

/// Everything that determines a `beamforge tomo` dataset.
public struct TomoSettings: Sendable, Equatable {
    /// How stripes are made (``mode``).
    public enum Mode: String, Sendable { case simple, complex }

    /// simple: analytic stripes on clean sinograms; complex: flat fields, noise and detector defects.
    public var mode: Mode = .complex
    public var samples = 1
    /// The number of the first sample (directory names and random streams: sample s is the same whatever the run).
    public var start = 0
    /// The phantom size N.
    public var size = 256
    public var objects = 300
    /// Complex mode: vertical positions of the defect maps, `shiftStep` rows apart (NoStripesNet's README: 5 and 2).
    public var shifts = 5
    public var shiftStep = 2
    /// Also write NoStripesNet's uint16 TIFF tree.
    public var tiff = false
    public var phantom = PhantomRanges()
    public var stripes = StripeSettings.simpleMode
    public var flatField = FlatFieldSettings()

    public init() {}

    public var geometry: TomoGeometry { TomoGeometry(size: size) }

    /// Throws for the first setting that makes no sense, naming its config key. Checked before any work.
    public func validate() throws(ConfigError) {
        if samples < 1 { throw ConfigError(key: "samples", "must be at least 1 (got \(samples))") }
        if start < 0 { throw ConfigError(key: "start", "must be ≥ 0 (got \(start))") }
        if size < 8 { throw ConfigError(key: "size", "must be at least 8 (got \(size))") }
        // Rows and angles key random streams (16 bits): N = 41 000 would need 64 400 angles.
        if Int(0.5 * Double.pi * Double(size)) >= RandomPurpose.maxIndex {
            throw ConfigError(key: "size", "must be below 41000 (got \(size))")
        }
        if objects < 1 { throw ConfigError(key: "objects", "must be at least 1 (got \(objects))") }
        for (key, range) in [("phantom.x", phantom.x), ("phantom.y", phantom.y), ("phantom.z", phantom.z)]
            where range.lowerBound < -1 || range.upperBound > 1 {
            throw ConfigError(key: key, "must lie within [-1, 1] (got \(range))")
        }
        try ConfigError.bound(range: [phantom.density.lowerBound, phantom.density.upperBound], key: "phantom.density",
                              0, 100, why: "attenuation per unit of the phantom's size; 100 lets no photon through")
        if phantom.radius.lowerBound <= 0 {
            throw ConfigError(key: "phantom.radius", "must be positive (got \(phantom.radius))")
        }
        if let why = SpherePhantom.placementProblem(count: objects, ranges: phantom) {
            throw ConfigError(key: "objects", why)
        }
        switch mode {
        case .simple:
            try stripes.validate()
        case .complex:
            if !(1..<RandomPurpose.maxShift).contains(shifts) {
                throw ConfigError(key: "shifts", "must be from 1 to \(RandomPurpose.maxShift - 1) (got \(shifts))")
            }
            if shiftStep < 0 {
                throw ConfigError(key: "shift_step", "(--shiftstep) must be ≥ 0 (got \(shiftStep))")
            }
            if shifts > 1 && (shifts / 2) * shiftStep >= size {
                throw ConfigError(key: "shift_step", "(--shiftstep) \(shifts) shifts of \(shiftStep) rows move the "
                                   + "detector by up to \((shifts / 2) * shiftStep) rows, more than the \(size) it has")
            }
            try flatField.validate()
        }
    }
}
