import Foundation

/// The Maier–Saupe orientation distribution f(ψ) = exp(κ cos²ψ) / (2π Z(κ)) on the sphere and its nematic order
/// parameter S = ⟨P2(cos ψ)⟩ (docs/reference/orientation.md §1.3). κ > 0 aligns along the director, κ < 0
/// perpendicular to it (S < 0 down to −½).
///
/// Hand-written: neither Foundation nor the packaged Swift libraries have Dawson's integral. Everything follows
/// from Z₁(κ) = ∫₀¹ e^{κx²} dx = Z/2 and the moment ⟨cos²ψ⟩ = ∫₀¹ x² e^{κx²} dx / Z₁.
public enum MaierSaupe {
    /// Dawson's integral D(x) = e^{−x²} ∫₀ˣ e^{t²} dt, x ≥ 0: the series e^{−x²} Σ x^{2n+1}/(n!(2n+1)) (all terms
    /// positive, so no cancellation) up to x = 26, then the asymptotic series Σ (2n−1)!!/(2^{n+1} x^{2n+1})
    /// (Abramowitz & Stegun 7.1.23), whose terms are below 1e-17 of the sum by then.
    public static func dawson(_ x: Double) -> Double {
        precondition(x >= 0, "dawson(x) is defined here for x ≥ 0")
        if x == 0 { return 0 }
        let x2 = x * x
        if x <= 26 {
            var term = x, sum = 0.0, n = 0.0
            while true {
                let contribution = term / (2 * n + 1)
                sum += contribution
                if contribution < sum * 1e-17 && n > x2 { break }
                n += 1
                term *= x2 / n
            }
            return exp(-x2) * sum
        }
        var term = 1 / (2 * x), sum = 0.0, n = 0.0
        while abs(term) > sum * 1e-17 {
            sum += term
            n += 1
            term *= (2 * n - 1) / (2 * x2)
        }
        return sum
    }

    /// Z(κ) = ∫₀^π e^{κcos²ψ} sinψ dψ: 2e^κ D(√κ)/√κ (κ > 0), √π erf(√−κ)/√−κ (κ < 0), 2 at κ = 0.
    public static func normalisation(kappa: Double) -> Double {
        if kappa > 0 {
            let r = kappa.squareRoot()
            return 2 * exp(kappa) * dawson(r) / r
        }
        if kappa < 0 {
            let r = (-kappa).squareRoot()
            return Double.pi.squareRoot() * erf(r) / r
        }
        return 2
    }

    /// ⟨cos²ψ⟩ under f: 1/(2√κ D(√κ)) − 1/(2κ) for κ > 0, e^κ/(2κ Z₁) − 1/(2κ) for κ < 0; for |κ| < 1e-3 (where
    /// both forms cancel) the ratio of the moment series Σ κⁿ/(n!(2n+3)) / Σ κⁿ/(n!(2n+1)).
    public static func meanCosineSquared(kappa: Double) -> Double {
        if abs(kappa) < 1e-3 {
            var numerator = 0.0, denominator = 0.0, power = 1.0
            for n in 0..<8 {
                numerator += power / Double(2 * n + 3)
                denominator += power / Double(2 * n + 1)
                power *= kappa / Double(n + 1)
            }
            return numerator / denominator
        }
        if kappa > 0 {
            let r = kappa.squareRoot()
            return 1 / (2 * r * dawson(r)) - 1 / (2 * kappa)
        }
        let z1 = normalisation(kappa: kappa) / 2
        return exp(kappa) / (2 * kappa * z1) - 1 / (2 * kappa)
    }

    /// S = ⟨P2⟩ = (3⟨cos²ψ⟩ − 1)/2; for κ > 0, 3/(4√κ D(√κ)) − 3/(4κ) − ½. In [−½, 1].
    public static func orderParameter(kappa: Double) -> Double {
        (3 * meanCosineSquared(kappa: kappa) - 1) / 2
    }
}
