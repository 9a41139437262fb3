import Foundation

/// Automatic Guinier analysis, after ATSAS AUTORG and BioXTAS RAW's `autoRg` (docs/reference/saxs-physics.md §7.1): weighted linear
/// fits of ln I against q² over every window of consecutive points, kept if q_min·Rg < 1.0, q_max·Rg ≤ 1.3,
/// σ_Rg/Rg ≤ 1 and r² > 0.15, and scored as RAW does (q_max·Rg 1, q_min·Rg 1, σ_Rg/Rg 1, σ_I0/I0 1, r² 4, window
/// length 1; RAW's Spearman residual term is left out). The best window wins if its quality exceeds 0.6.
public enum Guinier {
    /// The fit of the best window.
    public struct Fit: Sendable, Equatable {
        /// Radius of gyration and its standard error in Å.
        public var rg: Double
        public var rgError: Double
        /// Forward intensity I(0) in the units of I.
        public var i0: Double
        /// q·Rg at the window's ends.
        public var qMinRg: Double
        public var qMaxRg: Double
        /// Points in the window and the window's first index.
        public var points: Int
        public var first: Int
        /// RAW-style quality score in [0, 1].
        public var quality: Double
    }

    /// The best Guinier window of a curve, or nil when no window qualifies.
    /// - Parameters: q in Å⁻¹, intensity and sigma in any common unit; non-positive or non-finite points are skipped.
    public static func autoRg(q: [Double], intensity: [Double], sigma: [Double], minimumPoints: Int = 10,
                              maximumQRg: Double = 1.3) -> Fit? {
        var x: [Double] = [], y: [Double] = [], w: [Double] = [], qs: [Double] = []
        for i in 0..<q.count where intensity[i] > 0 && sigma[i] > 0 && intensity[i].isFinite && sigma[i].isFinite {
            x.append(q[i] * q[i])
            y.append(log(intensity[i]))
            let relative = sigma[i] / intensity[i]
            w.append(1 / (relative * relative))
            qs.append(q[i])
        }
        let n = x.count
        guard n >= minimumPoints else { return nil }
        // Prefix sums for O(1) weighted fits of any window.
        var sw = [0.0], sx = [0.0], sy = [0.0], sxx = [0.0], sxy = [0.0], syy = [0.0]
        for i in 0..<n {
            sw.append(sw[i] + w[i]); sx.append(sx[i] + w[i] * x[i]); sy.append(sy[i] + w[i] * y[i])
            sxx.append(sxx[i] + w[i] * x[i] * x[i]); sxy.append(sxy[i] + w[i] * x[i] * y[i])
            syy.append(syy[i] + w[i] * y[i] * y[i])
        }
        var best: Fit?
        for first in 0..<(n - minimumPoints + 1) {
            for end in (first + minimumPoints)...n {
                let W = sw[end] - sw[first], X = sx[end] - sx[first], Y = sy[end] - sy[first]
                let XX = sxx[end] - sxx[first], XY = sxy[end] - sxy[first], YY = syy[end] - syy[first]
                let delta = W * XX - X * X
                guard delta > 0 else { continue }
                let slope = (W * XY - X * Y) / delta
                guard slope < 0 else { continue }
                let rg = (-3 * slope).squareRoot()
                let qMaxRg = qs[end - 1] * rg
                guard qMaxRg <= maximumQRg else { continue }
                let qMinRg = qs[first] * rg
                guard qMinRg < 1.0 else { continue }
                let intercept = (XX * Y - X * XY) / delta
                let slopeError = (W / delta).squareRoot(), interceptError = (XX / delta).squareRoot()
                let rgError = 1.5 * slopeError / rg   // σ_Rg = (3/2)·σ_slope/Rg
                let meanY = Y / W
                let total = YY - W * meanY * meanY
                let residual = YY - 2 * slope * XY - 2 * intercept * Y + slope * slope * XX
                    + 2 * slope * intercept * X + intercept * intercept * W
                let r2 = total > 0 ? 1 - residual / total : 0
                guard rgError / rg <= 1, r2 > 0.15 else { continue }
                let points = end - first
                let score = (1 - abs(qMaxRg - 1.3) / 1.3) + (1 - qMinRg) + (1 - rgError / rg)
                    + (1 - min(interceptError, 1)) + 4 * r2 + Double(points) / Double(n)
                let quality = score / 9
                if quality > (best?.quality ?? 0.6) {
                    best = Fit(rg: rg, rgError: rgError, i0: exp(intercept), qMinRg: qMinRg, qMaxRg: qMaxRg,
                               points: points, first: first, quality: quality)
                }
            }
        }
        return best
    }

    /// Whether a curve's q range holds a Guinier region for a particle of radius of gyration `rg` (docs/reference/saxs-physics.md
    /// §7.4): q_min·Rg ≤ `limit` (1.0; 0.8 for rods and prolate bodies) and at least 10 points up to q·Rg = 1.3.
    public static func isApplicable(q: [Double], rg: Double, limit: Double) -> Bool {
        guard rg.isFinite, rg > 0, let qMin = q.first(where: \.isFinite), qMin * rg <= limit else { return false }
        return q.filter { $0.isFinite && $0 * rg <= 1.3 }.count >= 10
    }
}
