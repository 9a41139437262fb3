import Foundation
import Synchronization

/// A quadrature rule for orientation averages ∫₀¹ f(u) du, u = cos α: nodes `u` in [0, 1] and their weights.
public struct OrientationRule: Sendable {
    public let u: [Double]
    public let weights: [Double]
    /// sin α = √(1 − u²), for models that need both.
    public let sinAlpha: [Double]
    public var count: Int { u.count }

    public init(u: [Double], weights: [Double]) {
        self.u = u
        self.weights = weights
        sinAlpha = u.map { ((1 - $0) * (1 + $0)).squareRoot() }
    }

    /// Gauss–Legendre in u (beamforge's rule): u = (t + 1)/2, weights w/2.
    public static func legendre(_ rule: GaussLegendre) -> OrientationRule {
        cached(key: rule.count) {
            OrientationRule(u: rule.nodes.map { ($0 + 1) / 2 }, weights: rule.weights.map { $0 / 2 })
        }
    }

    /// sasmodels' parameterisation: Gauss–Legendre in α ∈ [0, π/2], α = π/4·(t + 1), integrand × sin α
    /// (`models/lib/adaptive.c` with the kernels' `sin_alpha` weight), rewritten in u = cos α.
    public static func sasmodels(points: Int) -> OrientationRule {
        cached(key: -points) {
            let rule = GaussLegendre.rule(points)
            let alpha = rule.nodes.map { Double.pi / 4 * ($0 + 1) }
            return OrientationRule(u: alpha.map { cos($0) },
                                   weights: zip(rule.weights, alpha).map { $0 * Double.pi / 4 * sin($1) })
        }
    }

    /// sasmodels 1.1.0's adaptive choice (`gauss_weights`): 20, 76, 500 or 5000 points below q·r_max = 10, 100,
    /// 750 and above.
    public static func sasmodelsPoints(qr: Double) -> Int {
        qr < 10 ? 20 : qr < 100 ? 76 : qr < 750 ? 500 : 5000
    }

    private static let cache = Mutex<[Int: OrientationRule]>([:])

    private static func cached(key: Int, _ make: () -> OrientationRule) -> OrientationRule {
        if let rule = cache.withLock({ $0[key] }) { return rule }
        let rule = make()
        cache.withLock { $0[key] = rule }
        return rule
    }
}
