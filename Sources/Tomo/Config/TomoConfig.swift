import Core
import Sinograms

/// The config keys of `beamforge tomo`, as read from YAML (configs/tomo.yml documents them, with these defaults).
///
/// ``settings()`` checks every value and gives the job's typed ``TomoSettings``.
public struct TomoConfig: Codable, Equatable, Sendable {
    /// The library's defaults: the one place they are written.
    private static let defaults = TomoSettings()

    public var mode = defaults.mode.rawValue
    public var samples = defaults.samples
    public var start = defaults.start
    public var size = defaults.size
    public var objects = defaults.objects
    public var shifts = defaults.shifts
    public var shiftStep = defaults.shiftStep
    public var flats = defaults.flatField.flats
    public var i0 = defaults.flatField.sourceIntensity
    public var tiff = defaults.tiff
    public var phantom = Phantom()
    public var stripes = Stripes()
    public var flatField = FlatField()

    static func pair(_ range: ClosedRange<Double>) -> [Double] { [range.lowerBound, range.upperBound] }

    public struct Phantom: Codable, Equatable, Sendable {
        public var x = pair(defaults.phantom.x)
        public var y = pair(defaults.phantom.y)
        public var z = pair(defaults.phantom.z)
        public var density = pair(defaults.phantom.density)
        public var radius = pair(defaults.phantom.radius)

        public init() {}
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init()
            x = try c.decodeIfPresent([Double].self, forKey: .x) ?? x
            y = try c.decodeIfPresent([Double].self, forKey: .y) ?? y
            z = try c.decodeIfPresent([Double].self, forKey: .z) ?? z
            density = try c.decodeIfPresent([Double].self, forKey: .density) ?? density
            radius = try c.decodeIfPresent([Double].self, forKey: .radius) ?? radius
        }
    }

    public struct Stripes: Codable, Equatable, Sendable {
        public var percentage = defaults.stripes.percentage
        public var maxThickness = defaults.stripes.maxThickness
        public var intensity = defaults.stripes.intensity
        public var type = defaults.stripes.kind.rawValue
        public var variability = defaults.stripes.variability

        enum CodingKeys: String, CodingKey {
            case percentage, maxThickness = "max_thickness", intensity, type, variability
        }
        public init() {}
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init()
            percentage = try c.decodeIfPresent(Double.self, forKey: .percentage) ?? percentage
            maxThickness = try c.decodeIfPresent(Int.self, forKey: .maxThickness) ?? maxThickness
            intensity = try c.decodeIfPresent(Double.self, forKey: .intensity) ?? intensity
            type = try c.decodeIfPresent(String.self, forKey: .type) ?? type
            variability = try c.decodeIfPresent(Double.self, forKey: .variability) ?? variability
        }
    }

    public struct FlatField: Codable, Equatable, Sendable {
        public var bessel = pair(defaults.flatField.besselRange)
        public var speckleSize = defaults.flatField.speckleSize
        public var speckleDensity = defaults.flatField.speckleDensity
        public var defectSpeckleSize = defaults.flatField.defectSpeckleSize
        public var defectDensity = defaults.flatField.defectDensity
        public var defectSmoothing = defaults.flatField.defectSmoothing
        public var defectThreshold = defaults.flatField.defectThreshold
        public var miscalibration = defaults.flatField.miscalibration
        public var electronicNoise = defaults.flatField.electronicNoise

        enum CodingKeys: String, CodingKey {
            case bessel, speckleSize = "speckle_size", speckleDensity = "speckle_density"
            case defectSpeckleSize = "defect_speckle_size", defectDensity = "defect_density"
            case defectSmoothing = "defect_smoothing", defectThreshold = "defect_threshold"
            case miscalibration, electronicNoise = "electronic_noise"
        }
        public init() {}
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init()
            bessel = try c.decodeIfPresent([Double].self, forKey: .bessel) ?? bessel
            speckleSize = try c.decodeIfPresent(Double.self, forKey: .speckleSize) ?? speckleSize
            speckleDensity = try c.decodeIfPresent(Double.self, forKey: .speckleDensity) ?? speckleDensity
            defectSpeckleSize = try c.decodeIfPresent(Double.self, forKey: .defectSpeckleSize) ?? defectSpeckleSize
            defectDensity = try c.decodeIfPresent(Double.self, forKey: .defectDensity) ?? defectDensity
            defectSmoothing = try c.decodeIfPresent(Double.self, forKey: .defectSmoothing) ?? defectSmoothing
            defectThreshold = try c.decodeIfPresent(Double.self, forKey: .defectThreshold) ?? defectThreshold
            miscalibration = try c.decodeIfPresent(Double.self, forKey: .miscalibration) ?? miscalibration
            electronicNoise = try c.decodeIfPresent(Double.self, forKey: .electronicNoise) ?? electronicNoise
        }
    }

    enum CodingKeys: String, CodingKey {
        case mode, samples, start, size, objects, shifts, shiftStep = "shift_step", flats, i0 = "I0", tiff
        case phantom, stripes, flatField = "flat_field"
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        mode = try c.decodeIfPresent(String.self, forKey: .mode) ?? mode
        samples = try c.decodeIfPresent(Int.self, forKey: .samples) ?? samples
        start = try c.decodeIfPresent(Int.self, forKey: .start) ?? start
        size = try c.decodeIfPresent(Int.self, forKey: .size) ?? size
        objects = try c.decodeIfPresent(Int.self, forKey: .objects) ?? objects
        shifts = try c.decodeIfPresent(Int.self, forKey: .shifts) ?? shifts
        shiftStep = try c.decodeIfPresent(Int.self, forKey: .shiftStep) ?? shiftStep
        flats = try c.decodeIfPresent(Int.self, forKey: .flats) ?? flats
        i0 = try c.decodeIfPresent(Double.self, forKey: .i0) ?? i0
        tiff = try c.decodeIfPresent(Bool.self, forKey: .tiff) ?? tiff
        phantom = try c.decodeIfPresent(Phantom.self, forKey: .phantom) ?? phantom
        stripes = try c.decodeIfPresent(Stripes.self, forKey: .stripes) ?? stripes
        flatField = try c.decodeIfPresent(FlatField.self, forKey: .flatField) ?? flatField
    }

    /// The job's settings, checking the values that need their own message here (the job checks the rest).
    func settings() throws(ConfigError) -> TomoSettings {
        var s = TomoSettings()
        guard let m = TomoSettings.Mode(rawValue: mode) else {
            throw ConfigError(key: "mode", "must be simple or complex (got '\(mode)')")
        }
        s.mode = m
        s.samples = samples
        s.start = start
        s.size = size
        s.objects = objects
        s.shifts = shifts
        s.shiftStep = shiftStep
        s.tiff = tiff
        func range(_ key: String, _ pair: [Double]) throws(ConfigError) -> ClosedRange<Double> {
            guard pair.count == 2, pair[0] <= pair[1], pair.allSatisfy(\.isFinite) else {
                throw ConfigError(key: key, "must be [low, high] with low ≤ high (got \(pair))")
            }
            return pair[0]...pair[1]
        }
        s.phantom.x = try range("phantom.x", phantom.x)
        s.phantom.y = try range("phantom.y", phantom.y)
        s.phantom.z = try range("phantom.z", phantom.z)
        s.phantom.density = try range("phantom.density", phantom.density)
        s.phantom.radius = try range("phantom.radius", phantom.radius)
        // NoStripesNet passes 'mix', which TomoPhantom treats as full: accept it as such.
        guard let kind = StripeSettings.Kind(rawValue: stripes.type == "mix" ? "full" : stripes.type) else {
            throw ConfigError(key: "stripes.type", "must be full or partial (got '\(stripes.type)')")
        }
        s.stripes = StripeSettings(percentage: stripes.percentage, maxThickness: stripes.maxThickness,
                                   intensity: stripes.intensity, kind: kind, variability: stripes.variability)
        var f = FlatFieldSettings()
        f.sourceIntensity = i0
        f.flats = flats
        f.besselRange = try range("flat_field.bessel", flatField.bessel)
        f.speckleSize = flatField.speckleSize
        f.speckleDensity = flatField.speckleDensity
        f.defectSpeckleSize = flatField.defectSpeckleSize
        f.defectDensity = flatField.defectDensity
        f.defectSmoothing = flatField.defectSmoothing
        f.defectThreshold = flatField.defectThreshold
        f.miscalibration = flatField.miscalibration
        f.electronicNoise = flatField.electronicNoise
        s.flatField = f
        try s.validate()
        return s
    }
}
