import Foundation
import LeastSquares

/// Deterministic start values and bounds, from the profile's second circular moment (the peaks' axis χp and the
/// anisotropy R) and its extremes.
extension ProfileFitter {
    static func starts(_ model: OrientModel, data: Data, chiDeg: [Double], reflection: ReflectionType) -> [[FitParameter]] {
        let moments = CircularMoments(chiDeg: data.chi, intensity: data.intensity)
        let axis = moments.chi0Deg.isFinite ? moments.chi0Deg : 0
        let floor = data.intensity.min()!, top = data.intensity.max()!
        let mean = data.intensity.reduce(0, +) / Double(data.count)
        let binWidth = 360 / Double(max(chiDeg.count, 1))
        switch model {
        case .ms:
            // κ from R as for a von Mises distribution in 2χ of concentration κ/2 (Best & Fisher's inverse of
            // A1(c) = I₁(c)/I₀(c)): a rough, deterministic start. Both signs are tried: κ > 0 with the director
            // where the shape puts it, κ < 0 with the director turned by 90°; the lower χ² wins.
            let c = Self.inverseA1(min(max(moments.anisotropy.isFinite ? moments.anisotropy : 0, 0.02), 0.95))
            let kappa = min(max(2 * c, 0.5), 50)
            let positive = reflection == .meridional ? axis : axis - 90
            return [(kappa, positive), (-kappa, positive + 90)].map { k, director in
                [FitParameter("amplitude", max(mean - floor, 1e-12 * max(abs(mean), 1))),
                 FitParameter("kappa", k, lower: -500, upper: 500),
                 FitParameter("chi0_deg", director),
                 FitParameter("background", floor),
                 FitParameter("slope_per_deg", 0)]
            }
        case .pv:
            // FWHM from the bins above half height (two peaks), the area from the height at η = ½
            // (height = A·(½√(4ln2/π) + ½·2/π)/Γ ≈ 0.788·A/Γ).
            let above = data.intensity.filter { $0 - floor > (top - floor) / 2 }.count
            let fwhm = min(max(Double(above) * binWidth / 2, 2 * binWidth), 150)
            return [[FitParameter("area", max(top - floor, 1e-12 * max(abs(top), 1)) * fwhm / 0.788),
                     FitParameter("chi0_deg", axis),
                     FitParameter("fwhm_deg", fwhm, lower: binWidth / 100, upper: 360),
                     FitParameter("eta", 0.5, lower: 0, upper: 1),
                     FitParameter("background", floor),
                     FitParameter("slope_per_deg", 0)]]
        }
    }

    /// c with I₁(c)/I₀(c) = r (Best & Fisher 1981, as in Fisher's "Statistical analysis of circular data" 4.40).
    static func inverseA1(_ r: Double) -> Double {
        if r < 0.53 { return 2 * r + r * r * r + 5 * pow(r, 5) / 6 }
        if r < 0.85 { return -0.4 + 1.39 * r + 0.43 / (1 - r) }
        return 1 / (r * r * r - 4 * r * r + 3 * r)
    }
}
