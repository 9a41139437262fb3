import CMinpack

/// The residual function and its scratch space, passed to MINPACK's callback through its `void *p`.
final class ResidualContext {
    let parameters: [FitParameter]
    let residuals: ([Double], inout [Double]) -> Void
    var external: [Double]
    var output: [Double]
    var nonFinite = false

    init(parameters: [FitParameter], count: Int, residuals: @escaping ([Double], inout [Double]) -> Void) {
        self.parameters = parameters
        self.residuals = residuals
        external = parameters.map(\.value)
        output = [Double](repeating: 0, count: count)
    }

    /// The residuals at internal variables `u`, into `fvec`; false when one is not finite.
    func evaluate(internal u: UnsafePointer<Double>, into fvec: UnsafeMutablePointer<Double>) -> Bool {
        for j in parameters.indices { external[j] = parameters[j].toExternal(u[j]) }
        residuals(external, &output)
        for i in output.indices {
            guard output[i].isFinite else { nonFinite = true; return false }
            fvec[i] = output[i]
        }
        return true
    }
}

/// MINPACK's callback: a negative return stops `lmdif` (here: a residual that is not finite).
private let residualCallback: cminpack_func_mn = { p, _, _, x, fvec, _ in
    guard let p, let x, let fvec else { return -1 }
    let context = Unmanaged<ResidualContext>.fromOpaque(p).takeUnretainedValue()
    return context.evaluate(internal: x, into: fvec) ? 0 : -1
}

/// The cminpack calls, each with the work arrays it needs.
enum Minpack {
    /// `lmdif`: Levenberg–Marquardt with a forward-difference Jacobian, from internal variables `u` (updated in
    /// place). Returns MINPACK's `info` and the number of evaluations.
    static func lmdif(_ context: ResidualContext, u: inout [Double], count m: Int, options: FitOptions) -> (Int, Int) {
        let n = u.count
        var fvec = [Double](repeating: 0, count: m), fjac = [Double](repeating: 0, count: m * n)
        var diag = [Double](repeating: 1, count: n), qtf = [Double](repeating: 0, count: n)
        var wa1 = [Double](repeating: 0, count: n), wa2 = wa1, wa3 = wa1, wa4 = fvec
        var ipvt = [Int32](repeating: 0, count: n)
        var nfev: Int32 = 0
        let box = Unmanaged.passUnretained(context).toOpaque()
        let info = CMinpack.lmdif(residualCallback, box, Int32(m), Int32(n), &u, &fvec, options.ftol, options.xtol,
                                  options.gtol, Int32(options.evaluationsPerParameter * (n + 1)), 0, &diag, 1, 100, 0,
                                  &nfev, &fjac, Int32(m), &ipvt, &qtf, &wa1, &wa2, &wa3, &wa4)
        return (Int(info), Int(nfev))
    }

    /// The covariance σ²(JᵀJ)⁻¹, σ² = `sumOfSquares`/(m − n), of an m × n Jacobian (column-major), through
    /// `qrfac` (QR with column pivoting) and `covar1`. Returns the matrix (n × n, symmetric) and the rank
    /// (n when full).
    static func covariance(jacobian: [Double], count m: Int, parameters n: Int, sumOfSquares: Double,
                           tolerance: Double) -> (matrix: [Double], rank: Int) {
        var r = jacobian
        var ipvt = [Int32](repeating: 0, count: n)
        var rdiag = [Double](repeating: 0, count: n), acnorm = rdiag, wa = rdiag
        qrfac(Int32(m), Int32(n), &r, Int32(m), 1, &ipvt, Int32(n), &rdiag, &acnorm, &wa)
        // qrfac leaves R's diagonal in rdiag; covar1 wants the full upper triangle in r.
        for j in 0..<n { r[j + j * m] = rdiag[j] }
        let deficient = covar1(Int32(m), Int32(n), sumOfSquares, &r, Int32(m), &ipvt, tolerance, &wa)
        var matrix = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { matrix[i * n + j] = r[i + j * m] } }
        return (matrix, deficient == 0 ? n : Int(deficient))
    }
}
