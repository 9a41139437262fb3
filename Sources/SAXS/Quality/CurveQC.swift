import Foundation

/// The quality-control numbers of one curve (meta.csv's QC columns and `beamforge saxs-qc`).
///
/// χ² uses the model's σ (√λ from the expected counts), which makes ⟨χ²/N⟩ = 1 at any count level; the σ radial
/// averaging reports, √N from the observed counts, biases χ² upward where bins hold fewer than ~50 counts
/// (docs/reference/saxs-physics.md §6.5), so that variant is reported beside it. The Guinier fit runs only where the q range
/// holds a Guinier region for the true Rg.
public struct CurveQC: Sendable {
    public var chi2: Double
    public var chi2Observed: Double
    public var minimumCounts: Double
    public var guinierApplicable: Bool
    public var guinier: Guinier.Fit?
    public var rgTrue: Double

    public init(q: [Double], intensity: [Double], model: [Double], sigma: [Double], modelSigma: [Double],
                minimumCounts: Double, rgTrue: Double, elongated: Bool) {
        var chi2 = 0.0, chi2Observed = 0.0
        for i in 0..<q.count {
            let r = intensity[i] - model[i]
            chi2 += r * r / (modelSigma[i] * modelSigma[i])
            chi2Observed += r * r / (sigma[i] * sigma[i])
        }
        self.chi2 = chi2 / Double(q.count)
        self.chi2Observed = chi2Observed / Double(q.count)
        self.minimumCounts = minimumCounts
        self.rgTrue = rgTrue
        guinierApplicable = Guinier.isApplicable(q: q, rg: rgTrue, limit: elongated ? 0.8 : 1.0)
        guinier = guinierApplicable ? Guinier.autoRg(q: q, intensity: intensity, sigma: sigma) : nil
    }

    public init(q: [Double], curve: MeasuredCurve, rgTrue: Double, elongated: Bool) {
        self.init(q: q, intensity: curve.intensity, model: curve.model, sigma: curve.sigma,
                  modelSigma: curve.modelSigma, minimumCounts: curve.expectedCounts.min() ?? 0, rgTrue: rgTrue,
                  elongated: elongated)
    }

    /// (Rg_fit − Rg_true)/Rg_true, or nil without a fit.
    public var guinierRelativeError: Double? { guinier.map { $0.rg / rgTrue - 1 } }

    /// The fields of ``SAXSJob/qcColumns``.
    public var fields: [String] {
        func f(_ v: Double?) -> String { v.map { $0.isFinite ? "\($0)" : "" } ?? "" }
        return [f(chi2), f(chi2Observed), f(minimumCounts), guinierApplicable ? "1" : "0", f(guinier?.rg),
                f(guinier?.rgError), f(guinier?.qMinRg), f(guinier?.qMaxRg), f(guinierRelativeError)]
    }
}
