import Foundation

/// A curve specified in sasmodels' terms: model name, parameters (with `<par>_pd`, `<par>_pd_nsigma`, and
/// optionally `<par>_pd_n` for sasmodels' uniform grid; `length_scale_pd` for beamforge's common length scale) and
/// q values. `beamforge saxs-model` evaluates lists of them, e.g. for comparisons with sasmodels.
public struct ModelSpecification: Codable, Sendable {
    public var model: String
    public var params: [String: Double]
    public var q: [Double]

    public init(model: String, params: [String: Double], q: [Double]) {
        self.model = model
        self.params = params
        self.q = q
    }

    /// The sample: PD on every `<par>_pd > 0`, Gaussian, ±`<par>_pd_nsigma` (default 3); with
    /// `uniformGrid` the `<par>_pd_n` points of sasmodels' grid (default 35), else beamforge's converged rule.
    public func sample(uniformGrid: Bool = false) throws(ParticleError) -> Sample {
        let particle = try SasmodelsCatalog.particle(sasmodels: model, parameters: params)
        var polydispersity: [Polydispersity] = []
        for (key, width) in params.sorted(by: { $0.key < $1.key }) where key.hasSuffix("_pd") && width > 0 {
            let base = String(key.dropLast(3))
            guard base == Polydispersity.lengthScale || particle.value(of: base) != nil else {
                throw ParticleError("\(model) has no length parameter '\(base)' to make polydisperse")
            }
            polydispersity.append(Polydispersity(base, SizeDistribution(
                relativeWidth: width, nsigma: params[base + "_pd_nsigma"] ?? 3,
                uniformPoints: uniformGrid ? Int(params[base + "_pd_n"] ?? 35) : nil)))
        }
        guard let solvent = params["sld_solvent"] else { throw ParticleError("\(model): sld_solvent is required") }
        return Sample(particle: particle, solvent: solvent, scale: params["scale"] ?? 1,
                      background: params["background"] ?? 0.001, polydispersity: polydispersity)
    }
}
