import Foundation

/// A curve specified in sasmodels' terms: model name, parameters (with `<par>_pd`, `<par>_pd_nsigma`, and
/// optionally `<par>_pd_n` for sasmodels' uniform grid; `length_scale_pd` for beamforge's common length scale) and
/// q values. `beamforge saxs-model` evaluates lists of them, e.g. for comparisons with sasmodels.
///
/// `params` may be a curve's `/saxs/params` JSON as stored: its texts (`model`, `<par>_pd_type`,
/// `hollow_convention`, `length_scale_pd_note`) land in `texts` and are checked by `validate()`.
public struct ModelSpecification: Codable, Sendable {
    public var model: String
    public var params: [String: Double]
    /// The text-valued entries of `params`.
    public var texts: [String: String]
    public var q: [Double]

    public init(model: String, params: [String: Double], texts: [String: String] = [:], q: [Double]) {
        self.model = model
        self.params = params
        self.texts = texts
        self.q = q
    }

    private enum CodingKeys: String, CodingKey { case model, params, q }

    /// One entry of `params`: a number, or a text.
    private enum Entry: Decodable {
        case number(Double), text(String)
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let value = try? container.decode(Double.self) { self = .number(value); return }
            self = .text(try container.decode(String.self))
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decode(String.self, forKey: .model)
        q = try container.decode([Double].self, forKey: .q)
        params = [:]
        texts = [:]
        for (name, entry) in try container.decode([String: Entry].self, forKey: .params) {
            switch entry {
            case .number(let value): params[name] = value
            case .text(let value): texts[name] = value
            }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encode(q, forKey: .q)
        var nested = container.nestedContainer(keyedBy: AnyKey.self, forKey: .params)
        for (name, value) in params.sorted(by: { $0.key < $1.key }) { try nested.encode(value, forKey: AnyKey(name)) }
        for (name, value) in texts.sorted(by: { $0.key < $1.key }) { try nested.encode(value, forKey: AnyKey(name)) }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
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
