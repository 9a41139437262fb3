import Foundation
import LeastSquares
import Testing

/// The cminpack wrapper against scipy 1.17 `curve_fit` on the same data, model and weights (goldens computed once
/// with scipy and pasted; data below are deterministic). Parameters agree to 1e-7 relative: both minimise the same
/// χ² to tolerances far below that. σ agree to 1e-5 relative: both are √diag(χ²_red (JᵀJ)⁻¹), but from
/// differently approximated Jacobians (scipy: MINPACK's forward differences; here central differences).
@Suite struct LeastSquaresTests {
    static func close(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool { abs(a - b) <= tolerance * abs(b) }

    /// y = 5 e^{−0.3x} + 0.05 sin 3x, σ = 0.05 + 0.01x, x = 0…19; model a·e^{−bx}.
    /// scipy: curve_fit(f, x, y, p0=[1, 0.1], sigma=s, method='lm', xtol=ftol=1e-14).
    @Test func weightedExponentialMatchesCurveFit() {
        let x = (0..<20).map(Double.init)
        let y = x.map { 5 * exp(-0.3 * $0) + 0.05 * sin(3 * $0) }, s = x.map { 0.05 + 0.01 * $0 }
        let fit = LeastSquares.minimize([FitParameter("a", 1), FitParameter("b", 0.1)], count: x.count) { p, r in
            for i in x.indices { r[i] = (y[i] - p[0] * exp(-p[1] * x[i])) / s[i] }
        }
        #expect(fit.status.isSuccess, "\(fit.status.reason)")
        #expect(Self.close(fit.values[0], 5.00112255, 1e-7) && Self.close(fit.values[1], 0.30005249, 1e-7), "\(fit.values)")
        #expect(Self.close(fit.sigma[0], 0.01241464, 1e-5) && Self.close(fit.sigma[1], 0.00188716, 1e-5), "\(fit.sigma)")
        #expect(Self.close(fit.covariance[1], 1.2184692087152338e-05, 1e-5) && fit.covariance[1] == fit.covariance[2])
        #expect(Self.close(fit.chiSquare, 1.3359416117655696, 1e-9) && fit.degreesOfFreedom == 18)
    }

    /// A Gaussian whose width is bounded to [0.5, 3] (scipy: the trf method with the same bounds): the sin transform
    /// leaves an interior optimum where it is.
    @Test func boundedGaussianMatchesCurveFit() {
        let x = (0...40).map { -5 + Double($0) * 0.25 }
        let y = x.map { 2 * exp(-0.5 * pow(($0 - 0.4) / 1.3, 2)) + 0.02 * cos(5 * $0) }
        let fit = LeastSquares.minimize([FitParameter("A", 1), FitParameter("m", 0), FitParameter("w", 1, lower: 0.5, upper: 3)],
                                        count: x.count) { p, r in
            for i in x.indices { r[i] = y[i] - p[0] * exp(-0.5 * pow((x[i] - p[1]) / p[2], 2)) }
        }
        #expect(fit.status.isSuccess, "\(fit.status.reason)")
        for (value, golden) in zip(fit.values, [1.99999724, 0.40000069, 1.3000037]) { #expect(Self.close(value, golden, 1e-7)) }
        for (sigma, golden) in zip(fit.sigma, [0.00598927, 0.00449528, 0.00449538]) { #expect(Self.close(sigma, golden, 1e-5)) }
    }

    /// An active bound holds: the optimum of a·x with a ≈ 2 is pushed to the upper bound 1.5.
    @Test func activeBoundIsRespected() {
        let x = (1...10).map(Double.init)
        let fit = LeastSquares.minimize([FitParameter("a", 1, lower: 0, upper: 1.5)], count: x.count) { p, r in
            for i in x.indices { r[i] = 2 * x[i] - p[0] * x[i] }
        }
        #expect(fit.values[0] <= 1.5 && fit.values[0] > 1.5 - 1e-6, "\(fit.values)")
    }

    @Test func tooFewPointsIsAStatus() {
        let fit = LeastSquares.minimize([FitParameter("a", 1), FitParameter("b", 1)], count: 2) { p, r in
            r[0] = p[0] - 1; r[1] = p[1] - 2
        }
        #expect(fit.status == .tooFewPoints(residuals: 2, parameters: 2) && fit.status.code == "too_few_bins")
        #expect(fit.sigma.allSatisfy { $0.isNaN })
    }

    /// y = (a + b)·x: only a + b is determined.
    @Test func degenerateParametersGiveSingularCovariance() {
        let x = (1...10).map(Double.init)
        let fit = LeastSquares.minimize([FitParameter("a", 1), FitParameter("b", 1)], count: x.count) { p, r in
            for i in x.indices { r[i] = 3 * x[i] + 0.01 * sin(x[i]) - (p[0] + p[1]) * x[i] }
        }
        #expect(fit.status == .singularCovariance(rank: 1), "\(fit.status.reason)")
        #expect(fit.status.code == "singular_covariance")
    }

    @Test func nonFiniteResidualsAreAStatus() {
        let fit = LeastSquares.minimize([FitParameter("a", 1)], count: 3) { p, r in
            for i in 0..<3 { r[i] = log(p[0] - 1.5) }
        }
        #expect(fit.status == .nonFinite && fit.status.code == "non_finite")
    }
}
