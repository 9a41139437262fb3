/// The outcome of ``LeastSquares/minimize(_:count:options:residuals:)``.
public struct FitResult: Sendable {
    /// The parameters at the end (the start values when the fit could not start).
    public var values: [Double]
    /// One standard deviation per parameter: √diag(covariance); NaN unless ``status`` is a success.
    public var sigma: [Double]
    /// The covariance (n × n, row-major), scaled by the reduced χ² as scipy's `curve_fit` (absolute_sigma=False)
    /// and lmfit (scale_covar=True) do by default; NaN unless ``status`` is a success.
    public var covariance: [Double]
    /// Σ r² at ``values``.
    public var chiSquare: Double
    /// Residuals − parameters.
    public var degreesOfFreedom: Int
    /// Residual evaluations MINPACK made (the covariance's Jacobian adds 2n).
    public var evaluations: Int
    public var status: FitStatus

    /// χ² / (m − n).
    public var reducedChiSquare: Double { degreesOfFreedom > 0 ? chiSquare / Double(degreesOfFreedom) : .nan }
}
