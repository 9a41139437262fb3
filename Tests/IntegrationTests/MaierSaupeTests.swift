import Foundation
import Integration
import Testing

/// The Maier–Saupe order parameter (docs/reference/orientation.md §1.3): the closed form against a numerical
/// quadrature of S = ∫₀^π P2(cos ψ) e^{κcos²ψ} sin ψ dψ / Z, and against the reference's table (scipy `dawsn`).
@Suite struct MaierSaupeTests {
    /// Composite Simpson's rule on x = cos ψ ∈ [0, 1] (the integrand is even in x): ∫ g(x) e^{κ(x²−m)} dx, with m
    /// = max(κ, 0) keeping the exponentials finite. 200 000 intervals: the error (∝ h⁴ g⁗) is below 1e-14 here.
    static func simpson(_ kappa: Double, _ g: (Double) -> Double) -> Double {
        let n = 200_000, h = 1 / Double(n), shift = max(kappa, 0)
        var sum = 0.0
        for k in 0...n {
            let x = Double(k) * h
            let weight: Double = k == 0 || k == n ? 1 : (k % 2 == 1 ? 4 : 2)
            sum += weight * g(x) * exp(kappa * x * x - shift)
        }
        return sum * h / 3
    }

    static func quadratureS(_ kappa: Double) -> Double {
        let z = simpson(kappa) { _ in 1 }
        let p2 = simpson(kappa) { x in (3 * x * x - 1) / 2 }
        return p2 / z
    }

    @Test(arguments: [-40.0, -5, -1, -0.01, -1e-4, 0, 1e-4, 0.01, 0.5, 1, 2, 5, 10, 20, 50, 200])
    func closedFormEqualsQuadrature(kappa: Double) {
        let s = MaierSaupe.orderParameter(kappa: kappa)
        #expect(abs(s - Self.quadratureS(kappa)) < 1e-12, "kappa \(kappa): \(s) vs \(Self.quadratureS(kappa))")
        #expect(s >= -0.5 && s <= 1)
    }

    @Test func referenceTable() {
        let table: [(Double, Double)] = [(1, 0.143846), (2, 0.296897), (5, 0.646399), (10, 0.839092),
                                         (20, 0.922832), (-5, -0.352554)]
        for (kappa, s) in table {
            #expect(abs(MaierSaupe.orderParameter(kappa: kappa) - s) < 5e-7, "kappa \(kappa)")
        }
    }

    @Test func limits() {
        #expect(MaierSaupe.orderParameter(kappa: 0) == 0)
        // S = 2κ/15 + O(κ²): at κ = 1e-6 the next term is about 1.3e-14.
        #expect(abs(MaierSaupe.orderParameter(kappa: 1e-6) - 2e-6 / 15) < 1e-13)
        let large = 2000.0
        #expect(abs(MaierSaupe.orderParameter(kappa: large) - (1 - 3 / (2 * large))) < 1e-6)
        #expect(abs(MaierSaupe.orderParameter(kappa: -large) - (-0.5 + 3 / (4 * large))) < 1e-6)
    }

    /// D(x) at the switch between series and asymptotic forms, and a few values of scipy.special.dawsn.
    @Test func dawsonValues() {
        #expect(abs(MaierSaupe.dawson(1) - 0.5380795069127684) < 1e-15)
        #expect(abs(MaierSaupe.dawson(2) - 0.30134038892379196) < 1e-15)
        #expect(abs(MaierSaupe.dawson(26) / MaierSaupe.dawson(26.000001) - 1) < 1e-6)
        #expect(MaierSaupe.dawson(0) == 0)
    }
}
