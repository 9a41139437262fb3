import Foundation

/// Nodes q_k = start + k·step, k = 0..<count, where model intensities are computed before smearing and binning.
public struct UniformGrid: Sendable, Equatable {
    public var start: Double
    public var step: Double
    public var count: Int

    public init(start: Double, step: Double, count: Int) {
        self.start = start
        self.step = step
        self.count = count
    }

    public var nodes: [Double] { (0..<count).map { start + Double($0) * step } }

    /// The four-point Lagrange stencil at `q`: the first node index and the weights of nodes first...first+3
    /// (cubic interpolation, exact for cubics; clamped at the ends of the grid).
    @inlinable
    public func stencil(at q: Double) -> (first: Int, weights: SIMD4<Double>) {
        let position = (q - start) / step
        // Truncation is floor for position ≥ 0, and below that both clamp to 0 (and it is not a libm call).
        let first = min(max(Int(position) - 1, 0), count - 4)
        let t = position - Double(first) - 1  // in [0, 1) for interior points: nodes at −1, 0, 1, 2
        let w0 = -t * (t - 1) * (t - 2) / 6
        let w1 = (t + 1) * (t - 1) * (t - 2) / 2
        let w2 = -(t + 1) * t * (t - 2) / 2
        let w3 = (t + 1) * t * (t - 1) / 6
        return (first, SIMD4(w0, w1, w2, w3))
    }
}
