import Batch
import Core
import Foundation

/// The fits' datasets in orient.h5: per frame, bands × parameters per model, and bands × models for S, its σ,
/// the goodness of fit, the director and the status.
extension OrientJob {
    /// The fitter every item uses (the same settings on every rank).
    var fitter: ProfileFitter { ProfileFitter(reflection: settings.reflection) }

    var fitOutputs: [OutputSpec] {
        let bands = settings.bands.count, models = settings.models
        let modelNames = AttributeValue.string(models.map(\.rawValue).joined(separator: ","))
        var specs: [OutputSpec] = []
        for model in models {
            let names = AttributeValue.string(model.parameterNames.joined(separator: ","))
            let what = model == .ms
                ? "Maier-Saupe distribution exp(kappa cos^2 psi) through the \(settings.reflection.rawValue) projection; "
                    + "chi0_deg = the director's azimuth"
                : "pseudo-Voigt pair at chi0 and chi0 + 180 deg (area per peak, FWHM, eta = Lorentz fraction); chi0_deg "
                    + "= the peaks' azimuth"
            specs.append(OutputSpec("fit_\(model.rawValue)", type: .float64, itemShape: [bands, model.parameterNames.count], attributes: [
                "parameters": names, "uncertainties": .string("fit_\(model.rawValue)_sigma"),
                "reflection_type": .string(settings.reflection.rawValue),
                "description": .string(what + "; linear background in chi (deg); NaN where fit_status is not ok")]))
            specs.append(OutputSpec("fit_\(model.rawValue)_sigma", type: .float64, itemShape: [bands, model.parameterNames.count],
                                    attributes: ["parameters": names, "description": .string(
                                        "one standard deviation from the covariance scaled by the reduced chi2 "
                                        + "(scipy curve_fit's absolute_sigma=False)")]))
        }
        let perModel = [bands, models.count]
        func spec(_ name: String, _ description: String, type: ElementType = .float64,
                  extra: [String: AttributeValue] = [:]) -> OutputSpec {
            OutputSpec(name, type: type, itemShape: perModel, attributes: extra.merging([
                "models": modelNames, "description": .string(description)]) { a, _ in a })
        }
        return specs + [
            spec("S", "nematic order parameter <P2> of the orientation distribution, in [-1/2, 1], not clipped: ms "
                 + "closed form in kappa; pv quadrature with the sin psi Jacobian (equatorial: -2 <P2> of the profile, "
                 + "Funk-Hecke)", extra: ["uncertainties": .string("S_sigma")]),
            spec("S_sigma", "ms |dS/dkappa| sigma_kappa; pv from the (FWHM, eta) covariance"),
            spec("r2", "1 - SS_res/SS_tot over the fitted bins (unweighted)"),
            spec("chi2_red", "sum(((I - fit)/sigma)^2)/(bins - parameters)"),
            spec("director_deg", "the director's azimuth, deg, in (-90, 90]", extra: ["units": .string("deg")]),
            spec("fit_status", "0 = ok; otherwise why the fit failed (see flag_meanings); failed fits hold NaN",
                 type: .int32, extra: ["flag_values": .ints(ProfileFit.statusCodes.indices.map(Int64.init)),
                                       "flag_meanings": .string(ProfileFit.statusCodes.joined(separator: " "))]),
        ]
    }

    /// Every band's fits of one frame's profiles, band-major, models in ``OrientSettings/models`` order.
    func fits(of curve: IntegratedCurve) -> [[ProfileFit]] {
        let n = settings.chiBins, chi = Array(matrix.centers[0..<n])
        return settings.bands.indices.map { b in
            let bins = (b * n)..<((b + 1) * n)
            let (intensity, sigma, count) = (Array(curve.intensity[bins]), Array(curve.standardError[bins]),
                                             Array(curve.pixels[bins]))
            return settings.models.map { fitter.fit($0, chiDeg: chi, intensity: intensity, sigma: sigma, count: count) }
        }
    }

    /// The fits' datasets of one frame.
    static func fitValues(_ fits: [[ProfileFit]], models: [OrientModel]) -> [String: Column] {
        var values: [String: Column] = [:]
        for (m, model) in models.enumerated() {
            values["fit_\(model.rawValue)"] = .float64(fits.flatMap { $0[m].parameters })
            values["fit_\(model.rawValue)_sigma"] = .float64(fits.flatMap { $0[m].sigma })
        }
        let all = fits.flatMap { $0 }
        values["S"] = .float64(all.map(\.orderParameter))
        values["S_sigma"] = .float64(all.map(\.orderParameterSigma))
        values["r2"] = .float64(all.map(\.r2))
        values["chi2_red"] = .float64(all.map(\.reducedChiSquare))
        values["director_deg"] = .float64(all.map(\.directorDeg))
        values["fit_status"] = .int32(all.map(\.statusIndex))
        return values
    }
}
