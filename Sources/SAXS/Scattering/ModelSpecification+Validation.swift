import Core

extension ModelSpecification {
    /// The most q values of one curve.
    public static let maxQPoints = 1_000_000
    /// The most points of sasmodels' uniform PD grid (`<par>_pd_n`; sasmodels' default is 35).
    public static let maxPDPoints = 10_000

    /// Checks every parameter before evaluation, naming it (`params.radius`): the names are the model's sasmodels
    /// parameters, `scale`, `background` and `<length>_pd`, `_pd_nsigma`, `_pd_n` (or `length_scale_pd`…);
    /// lengths lie in [0, 1e4] Å, SLDs within ±1000 (10⁻⁶ Å⁻²), PD widths in [0, 1), q in [0, 100] 1/Å.
    public func validate() throws(ConfigError) {
        let particle: any FormFactorModel
        do { particle = try SasmodelsCatalog.particle(sasmodels: model, parameters: [:]) } catch {
            throw ConfigError(key: "model", error.description)
        }
        let own = particle.parameters(solvent: 0).map(\.0)
        let lengths = own.filter { particle.setting($0, to: 1) != nil }
        var known = Set(own + ["scale", "background"])
        for base in lengths + [Polydispersity.lengthScale] {
            for suffix in ["_pd", "_pd_nsigma", "_pd_n"] { known.insert(base + suffix) }
        }
        for (name, value) in params.sorted(by: { $0.key < $1.key }) {
            let key = "params.\(name)"
            guard known.contains(name) else {
                throw ConfigError(key: key, "unknown parameter of \(model); known: \(known.sorted().joined(separator: ", "))")
            }
            if lengths.contains(name) {
                try ConfigError.bound(value, key: key, 0, SAXSConfig.maxSize, unit: "Å",
                                      why: "a length is not negative; 1e4 Å = 1 µm is beyond the reach of SAXS")
            } else if name.hasPrefix("sld") {
                try ConfigError.bound(value, key: key, -SAXSConfig.maxSLD, SAXSConfig.maxSLD, unit: "1e-6/Å²",
                                      why: "the densest elements reach about 150 for X-rays")
            } else if name.hasSuffix("_pd") {
                try ConfigError.bound(value, key: key, 0, 1, why: "a relative width of 1 puts a third of the sizes at ≤ 0")
                guard value < 1 else { throw ConfigError(key: key, "must stay below 1 (got \(value))") }
            } else if name.hasSuffix("_pd_nsigma") {
                try ConfigError.bound(value, key: key, 0, 10, lowerOpen: true, why: "σ beyond 10 adds nothing")
            } else if name.hasSuffix("_pd_n") {
                try ConfigError.bound(value, key: key, 1, Double(Self.maxPDPoints), why: "sasmodels uses 35")
            } else {
                try ConfigError.bound(value, key: key, -1e6, 1e6, why: "scale, background and ratios are moderate numbers")
            }
        }
        try validateTexts(lengths: lengths + [Polydispersity.lengthScale])
        try ConfigError.bound(count: q.count, key: "q", 1...Self.maxQPoints, why: "values per curve")
        for (i, value) in q.enumerated() {
            try ConfigError.bound(value, key: "q.\(i)", 0, 100, unit: "1/Å", why: "X-ray q stays below 4π/λ")
        }
    }
}

extension ModelSpecification {
    /// The texts a stored `/saxs/params` entry carries: `model` (the same model), `<length>_pd_type` (only
    /// "gaussian" is evaluated), `hollow_convention` ("vesicle" for sasmodels' vesicle, "n/a" otherwise) and
    /// `length_scale_pd_note` (a comment).
    private func validateTexts(lengths: [String]) throws(ConfigError) {
        let pdTypes = Set(lengths.map { $0 + "_pd_type" })
        for (name, value) in texts.sorted(by: { $0.key < $1.key }) {
            let key = "params.\(name)"
            switch name {
            case "model":
                guard value == model else { throw ConfigError(key: key, "'\(value)' differs from the curve's model '\(model)'") }
            case "length_scale_pd_note":
                continue
            case "hollow_convention":
                let expected = model == "vesicle" ? "vesicle" : "n/a"
                guard value == expected else {
                    throw ConfigError(key: key, "'\(value)': \(model) is evaluated in the '\(expected)' convention")
                }
            case _ where pdTypes.contains(name):
                guard value == "gaussian" else {
                    throw ConfigError(key: key, "'\(value)': only the Gaussian distribution is evaluated")
                }
            default:
                throw ConfigError(key: key, "expected a number, got the text '\(value)'")
            }
        }
    }
}
