/// SAXSDog's integral parameters of a radial curve (docs/reference/integration.md §8).
public enum IntegralParameters {
    /// qStop is capped at the largest bin centre; i0 and i1 are the first bins with q ≥ qStart and q ≥ qStop;
    /// over [i0, i1), skipping NaN: I0 = Σ I·Δq, I1 = Σ I·q·Δq, I2 = Σ I·q²·Δq with Δq = q₁ − q₀.
    public static func compute(q: [Double], intensity: [Double], qStart: Double,
                               qStop: Double) -> (i0: Double, i1: Double, i2: Double) {
        guard q.count >= 2 else { return (0, 0, 0) }
        let stop = min(qStop, q.max()!)
        let first = q.firstIndex { $0 >= qStart } ?? q.count
        let last = q.firstIndex { $0 >= stop } ?? q.count
        let dq = q[1] - q[0]
        var sums = (i0: 0.0, i1: 0.0, i2: 0.0)
        for k in first..<max(first, last) where !intensity[k].isNaN {
            sums.i0 += intensity[k]
            sums.i1 += intensity[k] * q[k]
            sums.i2 += intensity[k] * q[k] * q[k]
        }
        return (sums.i0 * dq, sums.i1 * dq, sums.i2 * dq)
    }
}
