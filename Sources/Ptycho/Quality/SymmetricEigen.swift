/// Eigenvalues and eigenvectors of a real symmetric matrix by the cyclic Jacobi method (Golub & Van Loan,
/// *Matrix Computations*, 4th ed., §8.5.2: rotations chosen as in their `sym.schur2`).
///
/// Hand-written: no LAPACK is installed on the target machines and no Swift package offers a symmetric eigensolver;
/// the matrices here are small (the PCA of ≤ 32² embeddings), where Jacobi is accurate and fast enough, and its
/// fixed sweep order makes the result the same on every rank.
public struct SymmetricEigen: Sendable {
    /// Eigenvalues, largest first.
    public let values: [Double]
    /// Eigenvectors, one per value (unit length), in the same order.
    public let vectors: [[Double]]

    /// Decomposes the `n` × `n` symmetric matrix `matrix` (row-major).
    public init(_ matrix: [Double], n: Int, sweeps: Int = 60) {
        var a = matrix
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        for _ in 0..<sweeps {
            var off = 0.0, diagonal = 0.0
            for p in 0..<n {
                diagonal += a[p * n + p] * a[p * n + p]
                for q in p + 1..<max(p + 1, n) { off += a[p * n + q] * a[p * n + q] }
            }
            if off <= 1e-30 * max(diagonal, 1e-300) { break }
            for p in 0..<n {
                for q in p + 1..<max(p + 1, n) where a[p * n + q] != 0 {
                    // The rotation (c, s) that zeroes a[p][q] (sym.schur2).
                    let tau = (a[q * n + q] - a[p * n + p]) / (2 * a[p * n + q])
                    let t = (tau >= 0 ? 1 : -1) / (abs(tau) + (1 + tau * tau).squareRoot())
                    let c = 1 / (1 + t * t).squareRoot(), s = t * c
                    for k in 0..<n {  // A ← A·J (columns p, q)
                        let akp = a[k * n + p], akq = a[k * n + q]
                        a[k * n + p] = c * akp - s * akq
                        a[k * n + q] = s * akp + c * akq
                    }
                    for k in 0..<n {  // A ← Jᵀ·A (rows p, q)
                        let apk = a[p * n + k], aqk = a[q * n + k]
                        a[p * n + k] = c * apk - s * aqk
                        a[q * n + k] = s * apk + c * aqk
                    }
                    for k in 0..<n {  // V ← V·J
                        let vkp = v[k * n + p], vkq = v[k * n + q]
                        v[k * n + p] = c * vkp - s * vkq
                        v[k * n + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        let order = (0..<n).sorted { a[$0 * n + $0] > a[$1 * n + $1] || (a[$0 * n + $0] == a[$1 * n + $1] && $0 < $1) }
        values = order.map { a[$0 * n + $0] }
        vectors = order.map { j in (0..<n).map { v[$0 * n + j] } }
    }
}
