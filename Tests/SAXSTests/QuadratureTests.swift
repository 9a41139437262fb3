import Foundation
import Testing
import SAXS

@Suite struct QuadratureTests {
    @Test("Φ: the small-x series joins the closed form at x = 0.1")
    func sphereSeries() {
        #expect(abs(Amplitude.sphere(0.1.nextDown) - Amplitude.sphere(0.1)) < 1e-13)
        #expect(Amplitude.sphere(0) == 1)
        #expect(abs(Amplitude.sphere(1e-3) - (1 - 1e-7 + 1e-12 / 280)) < 1e-15)
    }

    @Test("2J₁(x)/x and sinc near zero and at a zero of J₁")
    func discAndSinc() {
        #expect(abs(Amplitude.disc(1e-4.nextDown) - Amplitude.disc(1e-4)) < 1e-12)
        #expect(abs(Amplitude.disc(3.8317059702075125)) < 1e-15)   // first zero of J₁
        #expect(abs(Amplitude.disc(1) - 2 * 0.44005058574493355) < 1e-15)
        #expect(abs(Amplitude.sinc(Double.pi)) < 1e-16)
        #expect(Amplitude.sinc(0) == 1)
    }

    @Test("Gauss–Legendre rules integrate polynomials of degree 2n − 1 exactly", arguments: [8, 20, 76, 512, 4096])
    func exactness(_ n: Int) {
        let rule = GaussLegendre.rule(n)
        #expect(rule.count == n)
        #expect(abs(rule.weights.reduce(0, +) - 2) < 1e-13)
        let degree = min(2 * n - 1, 41)
        // ∫₀¹ x^d dx = 1/(d + 1)
        let integral = rule.integrate(from: 0, to: 1) { pow($0, Double(degree)) }
        #expect(abs(integral - 1 / Double(degree + 1)) < 1e-14)
        #expect(rule.nodes == rule.nodes.sorted())
    }

    @Test("the ladder returns the smallest rule at least as large as asked")
    func ladder() {
        #expect(GaussLegendre.atLeast(21).count == 24)
        #expect(GaussLegendre.atLeast(1).count == 8)
        #expect(GaussLegendre.atLeast(100_000).count == 8192)
    }
}
