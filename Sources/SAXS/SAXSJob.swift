import Batch

/// `beamforge saxs`: synthetic SAXS curves with counting noise, one item per curve.
///
/// Item i has shape class i mod (number of classes); its parameters come from random stream 0, its noise from
/// stream 1 and its uid from stream 2, all keyed by (seed, i), so a curve is the same on any rank.
public struct SAXSJob: Job {
    public let config: SAXSConfig
    /// Written to the `generator` metadata column, e.g. `beamforge 0.1.0`.
    public let generator: String
    private let grids: [Grid]
    /// Row length of the curve datasets: the longest instrument q grid (shorter ones are NaN-padded).
    public let width: Int

    /// Length of the fixed-size `params` JSON strings.
    static let paramsLength = 512

    struct Grid: Sendable {
        let q: [Double]
        let countsPerUnit: [Double]
    }

    enum Stream: UInt32 {
        case parameters = 0, noise = 1, uid = 2
    }

    /// - Precondition: `config` has passed ``SAXSConfig/validate()``.
    public init(config: SAXSConfig, generator: String) {
        self.config = config
        self.generator = generator
        grids = config.instruments.map { Grid(q: $0.q, countsPerUnit: $0.countsPerUnitIntensity) }
        width = config.instruments.map(\.qPoints).max() ?? 0
    }

    public var name: String { "saxs" }
    public var itemCount: Int { config.n }

    public var outputs: [OutputSpec] {
        [
            OutputSpec("q", type: .float64, itemShape: [width], attributes: ["units": .string("1/angstrom")]),
            OutputSpec("I", type: .float64, itemShape: [width],
                       attributes: ["units": .string("1/cm"), "description": .string("noisy intensity (counts / normaliser)")]),
            OutputSpec("sigma", type: .float64, itemShape: [width],
                       attributes: ["units": .string("1/cm"), "description": .string("sqrt(max(counts, 1)) / normaliser")]),
            OutputSpec("I_model", type: .float64, itemShape: [width],
                       attributes: ["units": .string("1/cm"), "description": .string("noise-free model intensity")]),
            OutputSpec("shape_class", type: .int32, attributes: ["names": .strings(config.classes)]),
            OutputSpec("instrument", type: .int32, attributes: ["names": .strings(config.instruments.map(\.name))]),
            OutputSpec("uid", type: .string(length: 36)),
            OutputSpec("params", type: .string(length: Self.paramsLength),
                       attributes: ["description": .string("sasmodels model name and parameters, JSON")]),
        ]
    }

    public var groupAttributes: [String: AttributeValue] {
        [
            "padding": .string("rows shorter than the longest q grid are padded with NaN"),
            "noise_model": .string("counts ~ Poisson(flux*exposure*transmission*efficiency*thickness*dOmega_bin*I_model); "
                                   + "dOmega_bin = full-ring solid angle of the q bin"),
            "intensity_convention": .string("sasmodels: scale*1e-4*drho^2*V*P(q) + background, cm^-1"),
        ]
    }

    public var metadataColumns: [String] {
        ["uid", "shape_class", "generator", "true_params", "instrument_cfg", "seed", "timestamp", "rg_true"]
    }

    public var statistics: [StatisticsSpec] {
        [StatisticsSpec(dataset: "I", transform: .log10), StatisticsSpec(dataset: "I_model", transform: .log10)]
    }

    public var workingBytesPerItem: Int { 8 * width * 6 + 1024 }

    public func produce(item: Int, context: ItemContext) throws -> ItemOutput {
        var draw = context.random(stream: Stream.parameters.rawValue)
        let classIndex = item % config.classes.count
        let instrumentIndex = draw.integer(in: 0..<config.instruments.count)
        let radius = draw.logUniform(in: config.radius[0]...config.radius[1])
        let sld = draw.uniform(in: config.sld[0]...config.sld[1])
        let sldSolvent = draw.uniform(in: config.sldSolvent[0]...config.sldSolvent[1])
        let scale = draw.logUniform(in: config.volumeFraction[0]...config.volumeFraction[1])

        let grid = grids[instrumentIndex]
        let sample = Sample(particle: .sphere(SphereModel(radius: radius, sld: sld)), solvent: sldSolvent,
                            scale: scale, background: config.background)
        let model = sample.intensity(q: grid.q)
        var noise = context.random(stream: Stream.noise.rawValue)
        let counted = CountingNoise.sample(model: model, countsPerUnit: grid.countsPerUnit, random: &noise)
        var uidStream = context.random(stream: Stream.uid.rawValue)
        let uid = uidStream.uuid()

        let params = "{\"model\":\"sphere\",\"radius\":\(radius),\"sld\":\(sld),\"sld_solvent\":\(sldSolvent),"
            + "\"scale\":\(scale),\"background\":\(config.background)}"
        let instrument = config.instruments[instrumentIndex]
        return ItemOutput(
            values: [
                "q": .float64(padded(grid.q)), "I": .float64(padded(counted.intensity)),
                "sigma": .float64(padded(counted.sigma)), "I_model": .float64(padded(model)),
                "shape_class": .int32([Int32(classIndex)]), "instrument": .int32([Int32(instrumentIndex)]),
                "uid": .string(uid), "params": .string(params),
            ],
            metadata: [uid, config.classes[classIndex], generator, params, instrument.name, String(context.seed),
                       context.timestamp, "\(sample.radiusOfGyration)"])
    }

    private func padded(_ values: [Double]) -> [Double] {
        values.count == width ? values : values + [Double](repeating: .nan, count: width - values.count)
    }
}
