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

/// A sparse matrix in compressed-row form, applied once per curve.
public struct SparseMatrix: Sendable {
    public private(set) var rowStart: [Int] = [0]
    public private(set) var columns: [Int32] = []
    public private(set) var values: [Double] = []
    public let columnCount: Int

    public init(columnCount: Int) { self.columnCount = columnCount }

    public var rowCount: Int { rowStart.count - 1 }

    /// Appends a row from a dense accumulator, keeping the non-zero entries of `lower..<upper` (empty when
    /// `lower >= upper`), and zeroes them in the accumulator for the next row.
    mutating func appendRow(_ dense: inout [Double], from lower: Int, to upper: Int) {
        for j in lower..<max(lower, upper) where dense[j] != 0 {
            columns.append(Int32(j))
            values.append(dense[j])
            dense[j] = 0
        }
        rowStart.append(columns.count)
    }

    /// y = A·x.
    public func apply(_ x: UnsafeBufferPointer<Double>, into y: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == columnCount && y.count == rowCount)
        columns.withUnsafeBufferPointer { cols in
            values.withUnsafeBufferPointer { vals in
                for i in 0..<rowCount {
                    var sum = 0.0
                    for k in rowStart[i]..<rowStart[i + 1] { sum += vals[k] * x[Int(cols[k])] }
                    y[i] = sum
                }
            }
        }
    }

    public func apply(_ x: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: rowCount)
        x.withUnsafeBufferPointer { xb in y.withUnsafeMutableBufferPointer { apply(xb, into: $0) } }
        return y
    }

    /// A·B for B with `columnCount` rows.
    public func multiplied(by b: SparseMatrix) -> SparseMatrix {
        precondition(columnCount == b.rowCount)
        var result = SparseMatrix(columnCount: b.columnCount)
        var dense = [Double](repeating: 0, count: b.columnCount)
        for i in 0..<rowCount {
            var lower = Int.max, upper = 0
            for k in rowStart[i]..<rowStart[i + 1] {
                let row = Int(columns[k]), a = values[k]
                for m in b.rowStart[row]..<b.rowStart[row + 1] {
                    let j = Int(b.columns[m])
                    dense[j] += a * b.values[m]
                    lower = min(lower, j)
                    upper = max(upper, j + 1)
                }
            }
            result.appendRow(&dense, from: lower, to: upper)
        }
        return result
    }
}

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
    public static func matrix(targets: [Double], sigma: Double, grid: UniformGrid) -> SparseMatrix {
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
