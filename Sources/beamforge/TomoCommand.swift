import ArgumentParser
import Core
import Foundation
import Sinograms
import Tomo

/// The config keys of `beamforge tomo` (configs/tomo.yml documents them).
struct TomoConfig: Codable, Equatable {
    /// The library's defaults: the one place they are written.
    private static let defaults = TomoSettings()

    var mode = defaults.mode.rawValue
    var samples = defaults.samples
    var start = defaults.start
    var size = defaults.size
    var objects = defaults.objects
    var shifts = defaults.shifts
    var shiftStep = defaults.shiftStep
    var flats = defaults.flatField.flats
    var i0 = defaults.flatField.sourceIntensity
    var tiff = defaults.tiff
    var phantom = Phantom()
    var stripes = Stripes()
    var flatField = FlatField()

    static func pair(_ range: ClosedRange<Double>) -> [Double] { [range.lowerBound, range.upperBound] }

    struct Phantom: Codable, Equatable {
        var x = pair(defaults.phantom.x)
        var y = pair(defaults.phantom.y)
        var z = pair(defaults.phantom.z)
        var density = pair(defaults.phantom.density)
        var radius = pair(defaults.phantom.radius)

        init() {}
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init()
            x = try c.decodeIfPresent([Double].self, forKey: .x) ?? x
            y = try c.decodeIfPresent([Double].self, forKey: .y) ?? y
            z = try c.decodeIfPresent([Double].self, forKey: .z) ?? z
            density = try c.decodeIfPresent([Double].self, forKey: .density) ?? density
            radius = try c.decodeIfPresent([Double].self, forKey: .radius) ?? radius
        }
    }

    struct Stripes: Codable, Equatable {
        var percentage = defaults.stripes.percentage
        var maxThickness = defaults.stripes.maxThickness
        var intensity = defaults.stripes.intensity
        var type = defaults.stripes.kind.rawValue
        var variability = defaults.stripes.variability

        enum CodingKeys: String, CodingKey {
            case percentage, maxThickness = "max_thickness", intensity, type, variability
        }
        init() {}
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init()
            percentage = try c.decodeIfPresent(Double.self, forKey: .percentage) ?? percentage
            maxThickness = try c.decodeIfPresent(Int.self, forKey: .maxThickness) ?? maxThickness
            intensity = try c.decodeIfPresent(Double.self, forKey: .intensity) ?? intensity
            type = try c.decodeIfPresent(String.self, forKey: .type) ?? type
            variability = try c.decodeIfPresent(Double.self, forKey: .variability) ?? variability
        }
    }

    struct FlatField: Codable, Equatable {
        var bessel = pair(defaults.flatField.besselRange)
        var speckleSize = defaults.flatField.speckleSize
        var speckleDensity = defaults.flatField.speckleDensity
        var defectSpeckleSize = defaults.flatField.defectSpeckleSize
        var defectDensity = defaults.flatField.defectDensity
        var defectSmoothing = defaults.flatField.defectSmoothing
        var defectThreshold = defaults.flatField.defectThreshold
        var miscalibration = defaults.flatField.miscalibration
        var electronicNoise = defaults.flatField.electronicNoise

        enum CodingKeys: String, CodingKey {
            case bessel, speckleSize = "speckle_size", speckleDensity = "speckle_density"
            case defectSpeckleSize = "defect_speckle_size", defectDensity = "defect_density"
            case defectSmoothing = "defect_smoothing", defectThreshold = "defect_threshold"
            case miscalibration, electronicNoise = "electronic_noise"
        }
        init() {}
        init(from decoder: Decoder) throws {
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

    init() {}

    init(from decoder: Decoder) throws {
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
    func settings() throws(ConfigProblem) -> TomoSettings {
        var s = TomoSettings()
        guard let m = TomoSettings.Mode(rawValue: mode) else {
            throw ConfigProblem("mode: must be simple or complex (got '\(mode)')")
        }
        s.mode = m
        s.samples = samples
        s.start = start
        s.size = size
        s.objects = objects
        s.shifts = shifts
        s.shiftStep = shiftStep
        s.tiff = tiff
        func range(_ key: String, _ pair: [Double]) throws(ConfigProblem) -> ClosedRange<Double> {
            guard pair.count == 2, pair[0] <= pair[1], pair.allSatisfy(\.isFinite) else {
                throw ConfigProblem("\(key): must be [low, high] with low ≤ high (got \(pair))")
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
            throw ConfigProblem("stripes.type: must be full or partial (got '\(stripes.type)')")
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
        return s
    }
}

/// `beamforge tomo`: synthetic tomography training data for stripe removal.
struct TomoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tomo",
        abstract: "Generate sphere phantoms, their analytic sinograms and stripe artefacts (NoStripesNet's data).",
        discussion: """
            Samples are split across ranks. Each draws non-overlapping spheres, projects them in closed form \
            (TomoPhantom's geometry: N rows, floor(sqrt(2) N) columns, int(pi N / 2) angles over 0-179.9 degrees) \
            and adds stripes: simple mode applies TomoPhantom's stripe routine; complex mode measures the sample \
            through simulated flats with photon and electronic noise and a detector with defects, at --shifts \
            vertical positions. Writes DIR/tomo.h5 (/tomo/projection, clean, stripe or shifts, phantom; chunked \
            one sinogram per chunk), DIR/meta.csv and, with --tiff, NoStripesNet's uint16 TIFF tree.
            """)

    @OptionGroup var common: RunArguments

    @Option(name: [.customShort("r"), .long], help: ArgumentHelp("Output directory, an alias of --out.", valueName: "dir"))
    var root: String?

    @Option(name: [.customShort("m"), .long], help: "simple or complex (config key mode).")
    var mode: String?

    @Option(name: [.customShort("S"), .long], help: "Number of samples (config key samples).")
    var samples: Int?

    @Option(name: .long, help: "Number of the first sample (config key start).")
    var start: Int?

    @Option(name: [.customShort("N"), .long], help: "Phantom size N (config key size).")
    var size: Int?

    @Option(name: [.customShort("o"), .long], help: "Spheres per phantom (config key objects).")
    var objects: Int?

    @Option(name: [.customShort("s"), .long], help: "Complex mode: vertical detector positions (config key shifts).")
    var shifts: Int?

    @Option(name: [.customShort("p"), .customLong("shiftstep")], help: "Complex mode: rows between positions (config key shift_step).")
    var shiftStep: Int?

    @Option(name: [.customShort("f"), .customLong("flatsnum")], help: "Complex mode: flat fields (config key flats).")
    var flats: Int?

    @Option(name: [.customShort("I"), .customLong("I0")], help: "Complex mode: photons per pixel of the open beam (config key I0).")
    var i0: Double?

    @Flag(name: .long, help: "Also write NoStripesNet's uint16 TIFF tree (config key tiff).")
    var tiff = false

    func run() throws {
        do {
            var document = try ConfigDocument(path: common.config)
            // Samples are large: one per rank per write unless the configuration says otherwise.
            if document["batch_size"] == nil { try document.set("batch_size", to: "1", origin: "tomo default") }
            if let root { try document.set("out", to: RunArguments.quoted(root), origin: "--root") }
            for (key, value) in try common.keyOverrides() { try document.set(key, to: value, origin: "--set") }
            let settings = try document.decode(RunSettings.self)
            var config = try document.decode(TomoConfig.self)
            try document.rejectUnknownKeys([settings, config])
            try settings.validate()
            if let mode { config.mode = mode }
            if let samples { config.samples = samples }
            if let start { config.start = start }
            if let size { config.size = size }
            if let objects { config.objects = objects }
            if let shifts { config.shifts = shifts }
            if let shiftStep { config.shiftStep = shiftStep }
            if let flats { config.flats = flats }
            if let i0 { config.i0 = i0 }
            if tiff { config.tiff = true }
            let job: TomoJob
            do {
                job = try TomoJob(settings: try config.settings(), seed: settings.seed)
            } catch let error as ConfigError {
                throw ConfigProblem("\(error)")
            }
            Launch.run(job, settings: settings, arguments: common,
                       configText: ConfigDocument.canonicalYAML([settings, config]),
                       jobConfigText: ConfigDocument.canonicalYAML([config, ["seed": settings.seed]]))
        } catch let problem as ConfigProblem {
            Launch.reject(problem)
        }
    }
}
