import Foundation
import Synchronization

/// Gauss–Legendre rules on [−1, 1], computed once per size (Newton iteration on the Legendre recurrence) and shared.
///
/// Sizes come from a ladder (≈ √2 apart), so a few rules serve every adaptive choice: ``atLeast(_:)`` returns the
/// smallest rule with at least the requested number of points.
public struct GaussLegendre: Sendable {
    public let nodes: [Double]
    public let weights: [Double]
    public var count: Int { nodes.count }

    /// The sizes rules are built for.
    public static let ladder = [8, 12, 16, 20, 24, 32, 40, 48, 64, 80, 96, 128, 160, 192, 256, 320, 384, 512, 640, 768,
                                1024, 1280, 1536, 2048, 2560, 3072, 4096, 5120, 6144, 8192]

    private static let cache = Mutex<[Int: GaussLegendre]>([:])

    /// The smallest rule of the ladder with at least `points` points (the largest rung if none is big enough).
    public static func atLeast(_ points: Int) -> GaussLegendre {
        let size = ladder.first { $0 >= points } ?? ladder[ladder.count - 1]
        return rule(size)
    }

    /// The rule with exactly `points` points.
    public static func rule(_ points: Int) -> GaussLegendre {
        if let cached = cache.withLock({ $0[points] }) { return cached }
        let computed = GaussLegendre(computing: points)
        cache.withLock { $0[points] = computed }
        return computed
    }

    /// Newton's method on Pₙ from the asymptotic guess cos(π(i − ¼)/(n + ½)); weights 2/((1 − x²)·Pₙ′(x)²).
    private init(computing n: Int) {
        precondition(n >= 2)
        var x = [Double](repeating: 0, count: n)
        var w = [Double](repeating: 0, count: n)
        for i in 0..<(n + 1) / 2 {
            var root = cos(Double.pi * (Double(i) + 0.75) / (Double(n) + 0.5))
            var derivative = 0.0
            for _ in 0..<100 {
                var p0 = 1.0, p1 = root
                for k in 2...n {
                    let p2 = (Double(2 * k - 1) * root * p1 - Double(k - 1) * p0) / Double(k)
                    p0 = p1
                    p1 = p2
                }
                // Pₙ′(x) = n(x·Pₙ − Pₙ₋₁)/(x² − 1)
                derivative = Double(n) * (root * p1 - p0) / (root * root - 1)
                let step = p1 / derivative
                root -= step
                if abs(step) < 1e-16 { break }
            }
            x[i] = -root
            x[n - 1 - i] = root
            let weight = 2 / ((1 - root * root) * derivative * derivative)
            w[i] = weight
            w[n - 1 - i] = weight
        }
        nodes = x
        weights = w
    }

    /// ∫ₐᵇ f(x) dx with this rule.
    @inlinable
    public func integrate(from a: Double, to b: Double, _ f: (Double) -> Double) -> Double {
        let half = (b - a) / 2, mid = (a + b) / 2
        var sum = 0.0
        for i in 0..<nodes.count { sum += weights[i] * f(mid + half * nodes[i]) }
        return sum * half
    }
}
