/// The principal components of the positions' embeddings and each embedding's reconstruction error from the
/// first `k` of them: `e = ‖(x − μ) − Vₖ Vₖᵀ (x − μ)‖ / √d` (the root mean square residual per embedding value).
///
/// The covariance comes from sums over fixed blocks of positions, `Σx` and `Σxxᵀ`, added in block order
/// (`C = (Σxxᵀ − n μμᵀ) / (n − 1)`): each block is summed by whichever rank holds it, and the result does not depend
/// on the number of ranks.
public struct PatternPCA: Sendable {
    /// The mean embedding.
    public let mean: [Double]
    /// The first `k` components (unit vectors), largest variance first.
    public let components: [[Double]]
    /// Their variances.
    public let variances: [Double]

    /// Sums of one block of embeddings of dimension `d`: `Σx` (d) then `Σxxᵀ` (d × d, upper triangle mirrored).
    public static func blockSums(_ embeddings: [[Double]], d: Int) -> [Double] {
        var sums = [Double](repeating: 0, count: d + d * d)
        for x in embeddings {
            for i in 0..<d {
                sums[i] += x[i]
                let xi = x[i], row = d + i * d
                for j in i..<d { sums[row + j] += xi * x[j] }
            }
        }
        for i in 0..<d { for j in 0..<i { sums[d + i * d + j] = sums[d + j * d + i] } }
        return sums
    }

    /// The components from block sums (added in the order given) of `n` embeddings of dimension `d`.
    public init(blockSums: [[Double]], n: Int, d: Int, k: Int) {
        var total = [Double](repeating: 0, count: d + d * d)
        for block in blockSums { for i in total.indices { total[i] += block[i] } }
        let mean = (0..<d).map { total[$0] / Double(n) }
        var covariance = [Double](repeating: 0, count: d * d)
        let denominator = Double(max(n - 1, 1))
        for i in 0..<d { for j in 0..<d {
            covariance[i * d + j] = (total[d + i * d + j] - Double(n) * mean[i] * mean[j]) / denominator
        } }
        let eigen = SymmetricEigen(covariance, n: d)
        let kept = min(k, d)
        self.mean = mean
        components = Array(eigen.vectors.prefix(kept))
        variances = Array(eigen.values.prefix(kept))
    }

    /// The reconstruction error of embedding `x`.
    public func error(_ x: [Double]) -> Double {
        var residual = zip(x, mean).map { $0 - $1 }
        for v in components {
            var dot = 0.0
            for i in residual.indices { dot += v[i] * residual[i] }
            for i in residual.indices { residual[i] -= dot * v[i] }
        }
        return (residual.reduce(0) { $0 + $1 * $1 } / Double(max(x.count, 1))).squareRoot()
    }
}
