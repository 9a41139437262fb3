import Foundation

/// Bounded weighted nonlinear least squares over MINPACK's Levenberg–Marquardt (cminpack `lmdif`), with the
/// covariance of the parameters at the solution (cminpack `qrfac` + `covar1`).
///
/// ```swift
/// // y ≈ a·exp(−b·x), weights 1/σ
/// let fit = LeastSquares.minimize([FitParameter("a", 1), FitParameter("b", 0.1, lower: 0)], count: x.count) { p, r in
///     for i in x.indices { r[i] = (y[i] - p[0] * exp(-p[1] * x[i])) / sigma[i] }
/// }
/// ```
public enum LeastSquares {
    /// Minimises Σ rᵢ(p)² over the parameters.
    ///
    /// The covariance is computed from a central-difference Jacobian (steps ∛ε·max(|pⱼ|, 1)) in the external
    /// parameters at the solution, then scaled by χ²/(m − n) (scipy `curve_fit` with absolute_sigma=False, lmfit's
    /// default): with residuals (y − f)/σ the σ of the data are then taken as relative weights. Multiply the
    /// covariance by 1/``FitResult/reducedChiSquare`` for σ taken as absolute.
    /// - Parameters:
    ///   - parameters: start values and bounds (see ``FitParameter`` for the bound transform).
    ///   - count: the number of residuals m (at least n + 1).
    ///   - options: MINPACK's tolerances and limits.
    ///   - residuals: fills its second argument (m values) with the residuals at the parameters given first
    ///     (external values, within the bounds). Called from this thread only.
    /// - Returns: the result; its ``FitResult/status`` says whether and why the fit failed.
    public static func minimize(_ parameters: [FitParameter], count m: Int, options: FitOptions = FitOptions(),
                                residuals: @escaping ([Double], inout [Double]) -> Void) -> FitResult {
        let n = parameters.count
        let nan = [Double](repeating: .nan, count: n)
        var result = FitResult(values: parameters.map(\.value), sigma: nan, covariance: nan + [Double](
            repeating: .nan, count: n * n - n), chiSquare: .nan, degreesOfFreedom: m - n, evaluations: 0,
                               status: .tooFewPoints(residuals: m, parameters: n))
        guard n > 0, m > n else { return result }
        let context = ResidualContext(parameters: parameters, count: m, residuals: residuals)
        var u = parameters.map { $0.toInternal($0.value) }
        let (info, evaluations) = Minpack.lmdif(context, u: &u, count: m, options: options)
        result.evaluations = evaluations
        result.values = zip(parameters, u).map { $0.toExternal($1) }
        var r = [Double](repeating: 0, count: m)
        residuals(result.values, &r)
        result.chiSquare = r.reduce(0) { $0 + $1 * $1 }
        if context.nonFinite || !result.chiSquare.isFinite || info < 0 {
            result.status = .nonFinite
            return result
        }
        switch info {
        case 1: result.status = .converged("the sum of squares changes by less than ftol")
        case 2: result.status = .converged("the parameters change by less than xtol")
        case 3: result.status = .converged("the sum of squares and the parameters change by less than ftol and xtol")
        case 4: result.status = .converged("the residuals are orthogonal to the Jacobian's columns (gtol)")
        case 5: result.status = .noConvergence("\(evaluations) evaluations, the limit")
        case 6: result.status = .noConvergence("ftol is too small: no further reduction of the sum of squares possible")
        case 7: result.status = .noConvergence("xtol is too small: no further improvement of the parameters possible")
        case 8: result.status = .noConvergence("gtol is too small: the residuals are orthogonal to the Jacobian")
        default: result.status = .noConvergence("MINPACK reported improper input (info \(info))")
        }
        guard result.status.isSuccess else { return result }
        guard let jacobian = centralJacobian(result.values, count: m, residuals: residuals) else {
            result.status = .nonFinite
            return result
        }
        let (matrix, rank) = Minpack.covariance(jacobian: jacobian, count: m, parameters: n,
                                                sumOfSquares: result.chiSquare, tolerance: options.rankTolerance)
        guard rank == n, jacobian.contains(where: { $0 != 0 }) else {
            result.status = .singularCovariance(rank: jacobian.contains { $0 != 0 } ? rank : 0)
            return result
        }
        result.covariance = matrix
        result.sigma = (0..<n).map { matrix[$0 * n + $0].squareRoot() }
        return result
    }

    /// ∂rᵢ/∂pⱼ by central differences (m × n, column-major); nil when a residual is not finite.
    static func centralJacobian(_ p: [Double], count m: Int,
                                residuals: ([Double], inout [Double]) -> Void) -> [Double]? {
        let n = p.count, step = cbrt(Double.ulpOfOne)
        var jacobian = [Double](repeating: 0, count: m * n)
        var plus = [Double](repeating: 0, count: m), minus = plus
        for j in 0..<n {
            let h = step * max(abs(p[j]), 1)
            var q = p
            q[j] = p[j] + h
            residuals(q, &plus)
            q[j] = p[j] - h
            residuals(q, &minus)
            for i in 0..<m {
                let d = (plus[i] - minus[i]) / (2 * h)
                guard d.isFinite else { return nil }
                jacobian[j * m + i] = d
            }
        }
        return jacobian
    }
}
