/// The models `orient` fits to each azimuthal profile: `ms` (Maier–Saupe through the reflection's projection) and
/// `pv` (pseudo-Voigt with its 180° partner).
public enum OrientModel: String, Sendable, Equatable, CaseIterable {
    case ms, pv

    /// The fitted parameters, in the order of `fit_<model>` in orient.h5.
    public var parameterNames: [String] {
        switch self {
        case .ms: ["amplitude", "kappa", "chi0_deg", "background", "slope_per_deg"]
        case .pv: ["area", "chi0_deg", "fwhm_deg", "eta", "background", "slope_per_deg"]
        }
    }
}
