/// MINPACK's stopping tests and limits for ``LeastSquares/minimize(_:count:options:residuals:)``.
public struct FitOptions: Sendable, Equatable {
    /// Relative reduction of the sum of squares below which the fit has converged (MINPACK `ftol`).
    public var ftol = 1e-10
    /// Relative change of the (internal) parameters below which the fit has converged (MINPACK `xtol`).
    public var xtol = 1e-10
    /// Cosine between the residuals and any Jacobian column below which the fit has converged (MINPACK `gtol`).
    public var gtol = 0.0
    /// Residual evaluations allowed per parameter (MINPACK `maxfev` = this × (n + 1)).
    public var evaluationsPerParameter = 200
    /// Relative size of R's smallest kept diagonal element when judging the Jacobian's rank (cminpack `covar1`).
    public var rankTolerance = 1e-13

    public init() {}
}
