import Foundation
import LeastSquares

/// Fits the orientation models to azimuthal profiles: weighted (1/σ²) bounded Levenberg–Marquardt (cminpack via
/// ``LeastSquares``) over the bins that hold pixels, from a deterministic start taken from the profile's second
/// circular moment (χ0) and its extremes, so the result is the same on every rank.
public struct ProfileFitter: Sendable, Equatable {
    public var reflection: ReflectionType
    public var options = FitOptions()

    public init(reflection: ReflectionType) { self.reflection = reflection }

    /// The bins a fit uses: counts > 0, finite I and σ > 0.
    struct Data {
        var chi: [Double] = [], intensity: [Double] = [], sigma: [Double] = []
        var count: Int { chi.count }
    }

    /// Fits `model` to one profile.
    /// - Parameters:
    ///   - chiDeg: bin centres, deg.
    ///   - intensity, sigma, count: per bin (``IntegrationMatrix`` output); bins with count 0 are left out.
    public func fit(_ model: OrientModel, chiDeg: [Double], intensity: [Double], sigma: [Double],
                    count: [Double]) -> ProfileFit {
        var data = Data()
        for k in chiDeg.indices where count[k] > 0 && intensity[k].isFinite && sigma[k].isFinite && sigma[k] > 0 {
            data.chi.append(chiDeg[k])
            data.intensity.append(intensity[k])
            data.sigma.append(sigma[k])
        }
        let p = model.parameterNames.count
        guard data.count > p else {
            return .failed(model, status: "too_few_bins", reason: "\(data.count) chi bins hold pixels; the \(model.rawValue) "
                           + "model has \(p) parameters and needs at least \(p + 1)")
        }
        let starts = Self.starts(model, data: data, chiDeg: chiDeg, reflection: reflection)
        var best: (FitResult, ProfileFit)? = nil
        for start in starts {
            let result = LeastSquares.minimize(start, count: data.count, options: options) { q, r in
                let evaluate = self.evaluator(model, q)
                for i in 0..<data.count { r[i] = (data.intensity[i] - evaluate(data.chi[i])) / data.sigma[i] }
            }
            let outcome = finish(model, result, data: data)
            if let (known, _) = best {
                let better = result.status.isSuccess && (!known.status.isSuccess || result.chiSquare < known.chiSquare)
                if !better { continue }
            }
            best = (result, outcome)
        }
        return best!.1
    }

    /// The model as a function of χ (deg) at parameters `q`.
    func evaluator(_ model: OrientModel, _ q: [Double]) -> (Double) -> Double {
        switch model {
        case .pv: let profile = PseudoVoigtProfile(q); return profile.intensity
        case .ms: let profile = MaierSaupeProfile(q, reflection: reflection); return profile.intensity
        }
    }

    /// Goodness of fit, S and its σ, χ0 folded, or the failure.
    func finish(_ model: OrientModel, _ result: FitResult, data: Data) -> ProfileFit {
        guard result.status.isSuccess else {
            return .failed(model, status: result.status.code, reason: result.status.reason)
        }
        var values = result.values
        let chiIndex = model == .ms ? 2 : 1
        values[chiIndex] = Self.fold(values[chiIndex])
        let evaluate = evaluator(model, values)
        let mean = data.intensity.reduce(0, +) / Double(data.count)
        var residual = 0.0, total = 0.0
        for i in 0..<data.count {
            residual += pow(data.intensity[i] - evaluate(data.chi[i]), 2)
            total += pow(data.intensity[i] - mean, 2)
        }
        var fit = ProfileFit(model: model, parameters: values, sigma: result.sigma, orderParameter: .nan,
                             orderParameterSigma: .nan, directorDeg: .nan, r2: 1 - residual / total,
                             reducedChiSquare: result.reducedChiSquare, status: "ok", reason: result.status.reason)
        switch model {
        case .ms:
            // S(κ) in closed form (MaierSaupe); σ_S = |dS/dκ|·σ_κ, dS/dκ by a central difference.
            let kappa = values[1], h = 1e-5 * max(1, abs(kappa))
            let slope = (MaierSaupe.orderParameter(kappa: kappa + h) - MaierSaupe.orderParameter(kappa: kappa - h)) / (2 * h)
            fit.orderParameter = MaierSaupe.orderParameter(kappa: kappa)
            fit.orderParameterSigma = abs(slope) * result.sigma[1]
            fit.directorDeg = values[2]
        case .pv:
            let offset = reflection == .meridional ? 0.0 : 90
            fit.directorDeg = Self.fold(values[1] + offset)
            let s = { (fwhm: Double, eta: Double) -> Double in
                var q = values
                (q[2], q[3]) = (fwhm, eta)
                let profile = PseudoVoigtProfile(q)
                return ProfileOrderParameter.orderParameter(reflection: self.reflection) {
                    profile.peaks(fromChi0Deg: $0 + offset)
                }
            }
            // σ_S² = gᵀ Σ g over (FWHM, η), g by central differences (one-sided at η's bounds).
            let (fwhm, eta) = (values[2], values[3])
            let hf = 1e-4 * fwhm, he = 1e-4
            let gf = (s(fwhm + hf, eta) - s(fwhm - hf, eta)) / (2 * hf)
            let (e0, e1) = (max(eta - he, 0), min(eta + he, 1))
            let ge = (s(fwhm, e1) - s(fwhm, e0)) / (e1 - e0)
            let n = values.count, c = result.covariance
            let variance = gf * gf * c[2 * n + 2] + 2 * gf * ge * c[2 * n + 3] + ge * ge * c[3 * n + 3]
            fit.orderParameter = s(fwhm, eta)
            fit.orderParameterSigma = variance.squareRoot()
            if !(fit.orderParameter >= -0.5 - 1e-9 && fit.orderParameter <= 1 + 1e-9) {
                fit.status = "unphysical_profile"
                fit.reason = "the fitted peak shape is the projection of no orientation distribution (S = "
                    + "\(fit.orderParameter) outside [-1/2, 1]); kept as computed, not clipped"
            }
        }
        return fit
    }

    /// An angle (deg) folded into (−90, 90] (head–tail symmetry).
    static func fold(_ angle: Double) -> Double {
        var a = angle.truncatingRemainder(dividingBy: 180)
        if a <= -90 { a += 180 }
        if a > 90 { a -= 180 }
        return a
    }
}
