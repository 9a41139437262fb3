import Foundation

/// Pinhole resolution smearing (sasmodels `resolution.py` `Pinhole1D`): a Gaussian of standard deviation σ_q in q,
/// truncated to [q − 2.5σ, q + 3σ] (`PINHOLE_N_SIGMA`, after Barker & Pedersen 1995) and renormalised. I(q) is even,
/// so the window may reach below q = 0.
public enum PinholeResolution {
    public static let sigmasBelow = 2.5
    public static let sigmasAbove = 3.0

    /// σ_q from the beam's FWHM in q (Gaussian: FWHM = 2√(2 ln 2)·σ).
    public static func sigma(fwhm: Double) -> Double { fwhm / (2 * (2 * log(2.0)).squareRoot()) }

    /// The matrix W with (W·I)(qᵢ) = ∫ G(q′ − qᵢ) Ĩ(q′) dq′ / ∫ G, where Ĩ is the four-point Lagrange interpolant of
    /// I on `grid`. The integral runs over sub-cells of at most σ/4 with 8-point Gauss–Legendre (exact for the
    /// cubic pieces, ~1e-12 for the Gaussian). σ = 0 gives plain interpolation.
    public static func matrix(targets: some Collection<Double>, sigma: Double, grid: UniformGrid) -> SparseMatrix {
        var w = SparseMatrix(columnCount: grid.count)
        var dense = [Double](repeating: 0, count: grid.count)
        let rule = GaussLegendre.rule(8)
        for q in targets {
            var lower = Int.max, upper = 0
            func add(_ x: Double, _ weight: Double) {
                let (first, stencil) = grid.stencil(at: x)
                for k in 0..<4 { dense[first + k] += weight * stencil[k] }
                lower = min(lower, first)
                upper = max(upper, first + 4)
            }
            if sigma == 0 {
                add(q, 1)
            } else {
                let a = q - sigmasBelow * sigma, b = q + sigmasAbove * sigma
                // Sub-cells aligned with the grid so each holds one cubic piece.
                var edges: [Double] = [a]
                var k = ((a - grid.start) / grid.step).rounded(.down) + 1
                while grid.start + k * grid.step < b {
                    edges.append(grid.start + k * grid.step)
                    k += 1
                }
                edges.append(b)
                var total = 0.0
                var contributions: [(Double, Double)] = []
                for c in 0..<(edges.count - 1) {
                    let pieces = max(1, Int(((edges[c + 1] - edges[c]) / (sigma / 4)).rounded(.up)))
                    let width = (edges[c + 1] - edges[c]) / Double(pieces)
                    for p in 0..<pieces {
                        let lo = edges[c] + Double(p) * width
                        for i in 0..<rule.count {
                            let x = lo + width * (rule.nodes[i] + 1) / 2
                            let z = (x - q) / sigma
                            let g = rule.weights[i] * width / 2 * exp(-z * z / 2)
                            total += g
                            contributions.append((abs(x), g))
                        }
                    }
                }
                for (x, g) in contributions { add(x, g / total) }
            }
            w.appendRow(&dense, from: lower, to: upper)
        }
        return w
    }
}
