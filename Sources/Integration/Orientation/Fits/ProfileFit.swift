/// One model fitted to one azimuthal profile: parameters with σ, the order parameter S with σ, the goodness of fit
/// and a status that says why when the fit failed (values are then NaN, never silently).
public struct ProfileFit: Sendable, Equatable {
    public var model: OrientModel
    /// In ``OrientModel/parameterNames`` order; χ0 folded into (−90°, 90°] (both models are head–tail symmetric).
    public var parameters: [Double]
    /// One standard deviation each, from the covariance scaled by the reduced χ² (scipy `curve_fit`'s default).
    public var sigma: [Double]
    /// ⟨P2⟩ of the orientation distribution, in [−½, 1], and its standard deviation.
    public var orderParameter: Double
    public var orderParameterSigma: Double
    /// The director's azimuth, deg, in (−90, 90]: ms χ0; pv χ0 (meridional) or χ0 + 90° (equatorial).
    public var directorDeg: Double
    /// 1 − SS_res/SS_tot over the fitted bins (unweighted, as the original toolkit).
    public var r2: Double
    /// Σ((y − f)/σ)²/(n − p).
    public var reducedChiSquare: Double
    /// `ok`, `too_few_bins`, `no_convergence`, `non_finite`, `singular_covariance` or `unphysical_profile`.
    public var status: String
    /// Why, in words.
    public var reason: String

    /// The status codes in the order of orient.h5's integer `fit_status`.
    public static let statusCodes = ["ok", "too_few_bins", "no_convergence", "non_finite", "singular_covariance",
                                     "unphysical_profile"]

    /// A failed fit: every value NaN, with its status and reason.
    static func failed(_ model: OrientModel, status: String, reason: String) -> ProfileFit {
        let nan = [Double](repeating: .nan, count: model.parameterNames.count)
        return ProfileFit(model: model, parameters: nan, sigma: nan, orderParameter: .nan, orderParameterSigma: .nan,
                          directorDeg: .nan, r2: .nan, reducedChiSquare: .nan, status: status, reason: reason)
    }

    /// ``status`` as its index in ``statusCodes``.
    public var statusIndex: Int32 { Int32(Self.statusCodes.firstIndex(of: status) ?? 0) }
}
