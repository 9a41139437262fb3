/// How a least-squares fit ended. ``isSuccess`` for a converged fit with a full-rank covariance; every other case
/// carries its reason, so a failed fit is never a silent NaN.
public enum FitStatus: Sendable, Equatable {
    /// Converged by MINPACK's tests (`info` 1–4): the reason says which (relative reduction of the sum of squares,
    /// relative step, both, or the residuals orthogonal to the Jacobian's columns).
    case converged(String)
    /// Fewer residuals than parameters + 1: nothing to fit (no degrees of freedom left).
    case tooFewPoints(residuals: Int, parameters: Int)
    /// MINPACK stopped without converging (`info` 5–8: the evaluation limit, or tolerances too small to improve).
    case noConvergence(String)
    /// The residuals or the model became NaN or infinite at some parameters.
    case nonFinite
    /// Converged, but the Jacobian at the solution has rank `rank` < the number of parameters: some parameter
    /// (combination) is not determined by the data, and its σ is not defined.
    case singularCovariance(rank: Int)

    /// A converged fit with a defined covariance.
    public var isSuccess: Bool { if case .converged = self { return true } else { return false } }

    /// A short code for tables (`ok`, `too_few_bins`, `no_convergence`, `non_finite`, `singular_covariance`).
    public var code: String {
        switch self {
        case .converged: "ok"
        case .tooFewPoints: "too_few_bins"
        case .noConvergence: "no_convergence"
        case .nonFinite: "non_finite"
        case .singularCovariance: "singular_covariance"
        }
    }

    /// A readable reason.
    public var reason: String {
        switch self {
        case .converged(let why): "converged: \(why)"
        case .tooFewPoints(let m, let n): "\(m) points for \(n) parameters: at least \(n + 1) are needed"
        case .noConvergence(let why): "no convergence: \(why)"
        case .nonFinite: "the model or the residuals became NaN or infinite"
        case .singularCovariance(let rank): "the Jacobian at the solution has rank \(rank): a parameter is undetermined"
        }
    }
}
