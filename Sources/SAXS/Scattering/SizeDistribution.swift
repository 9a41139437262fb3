import Foundation

/// A Gaussian size distribution in sasmodels' convention: number-weighted, σ = PD·size, truncated at ±`nsigma`·σ
/// and at size ≥ 0 (sasmodels drops negative sizes), with the weights renormalised.
///
/// beamforge integrates it with Gauss–Legendre nodes over the window, as many as the phase of F² across the window
/// needs, which is the n → ∞ limit of sasmodels' grid. `uniformPoints` reproduces sasmodels' own grid instead
/// (`linspace(−3σ, 3σ, n)` with weights exp(−z²/2), `weights.py` `GaussianDispersion`), for comparisons.
public struct SizeDistribution: Sendable, Equatable {
    public var relativeWidth: Double
    public var nsigma: Double
    /// sasmodels' uniform grid of this many points, or nil for the converged adaptive rule.
    public var uniformPoints: Int?

    public init(relativeWidth: Double, nsigma: Double = 3, uniformPoints: Int? = nil) {
        self.relativeWidth = relativeWidth
        self.nsigma = nsigma
        self.uniformPoints = uniformPoints
    }

    public static let monodisperse = SizeDistribution(relativeWidth: 0)

    /// The integration window around `size` (Å).
    public func window(around size: Double) -> ClosedRange<Double> {
        let sigma = relativeWidth * size
        return max(size - nsigma * sigma, 0)...(size + nsigma * sigma)
    }

    /// Gauss–Legendre nodes over the window, weighted by the Gaussian (unnormalised).
    public func nodes(around size: Double, rule: GaussLegendre) -> (sizes: [Double], weights: [Double]) {
        guard relativeWidth > 0 else { return ([size], [1]) }
        let sigma = relativeWidth * size
        let w = window(around: size)
        let half = (w.upperBound - w.lowerBound) / 2, mid = (w.upperBound + w.lowerBound) / 2
        var sizes = [Double](repeating: 0, count: rule.count)
        var weights = [Double](repeating: 0, count: rule.count)
        for i in 0..<rule.count {
            let x = mid + half * rule.nodes[i]
            let z = (x - size) / sigma
            sizes[i] = x
            weights[i] = rule.weights[i] * exp(-z * z / 2)
        }
        return (sizes, weights)
    }

    /// sasmodels' grid: `points` sizes evenly spaced over ±nsigma·σ (negative ones dropped), weights exp(−z²/2).
    public func uniformNodes(around size: Double, points: Int) -> (sizes: [Double], weights: [Double]) {
        guard relativeWidth > 0, points > 1 else { return ([size], [1]) }
        let sigma = relativeWidth * size
        var sizes: [Double] = [], weights: [Double] = []
        for i in 0..<points {
            let z = -nsigma + 2 * nsigma * Double(i) / Double(points - 1)
            let x = size + z * sigma
            guard x >= 0 else { continue }
            sizes.append(x)
            weights.append(exp(-z * z / 2))
        }
        return (sizes, weights)
    }
}
