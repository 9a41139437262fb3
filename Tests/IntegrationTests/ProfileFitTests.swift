import Foundation
import Integration
import Testing

/// The orientation fits' physics (docs/reference/orientation.md §1.3): i0e against scipy, the Funk–Hecke S of a
/// profile against the Maier–Saupe closed form, and fits of noise-free synthetic profiles that must return the
/// truth (to 1e-6: the fit's tolerances are far tighter; the covariance is then ~0 and not checked here).
@Suite struct ProfileFitTests {
    static let chi = (0..<180).map { -180 + (Double($0) + 0.5) * 2 }

    /// scipy.special.i0e at the same points; 1e-14 relative (the series are summed to 1e-17).
    @Test(arguments: [(0.0, 1.0), (1e-3, 0.9990007495835156), (1, 0.46575960759364043), (5, 0.18354081260932834),
                      (19.9, 0.09000858886438959), (20.1, 0.08955376362061344), (25, 0.08019677354743669),
                      (100, 0.03994437929909668), (-3, 0.24300035416182536)])
    func i0eMatchesScipy(x: Double, golden: Double) {
        #expect(abs(ModifiedBessel.i0e(x) - golden) <= 1e-14 * golden, "\(x): \(ModifiedBessel.i0e(x))")
    }

    /// S by quadrature of the (projected) Maier–Saupe profile equals the closed form, for both reflection types
    /// and either sign of κ: the quadrature's error (Simpson, 0.025°) is below 1e-9 here.
    @Test(arguments: [-5.0, -1, 0.5, 2, 8, 20])
    func quadratureOfMaierSaupeProfilesGivesClosedFormS(kappa: Double) {
        for reflection in ReflectionType.allCases {
            let profile = MaierSaupeProfile([1, kappa, 0, 0, 0], reflection: reflection)
            let s = ProfileOrderParameter.orderParameter(reflection: reflection) { profile.shape($0) }
            #expect(abs(s - MaierSaupe.orderParameter(kappa: kappa)) < 1e-9, "\(reflection) kappa \(kappa): \(s)")
        }
    }

    /// F/⟨F⟩ has mean 1 over the circle (the amplitude is the mean oriented intensity).
    @Test(arguments: [-30.0, -2, 0, 3, 40])
    func shapesHaveUnitMean(kappa: Double) {
        for reflection in ReflectionType.allCases {
            let profile = MaierSaupeProfile([1, kappa, 17, 0, 0], reflection: reflection)
            let n = 7200, mean = (0..<n).map { profile.shape((Double($0) + 0.5) * 360 / Double(n)) }.reduce(0, +) / Double(n)
            #expect(abs(mean - 1) < 1e-12, "\(reflection) kappa \(kappa): \(mean)")
        }
    }

    @Test(arguments: [(8.0, 30.0, ReflectionType.equatorial), (-4, -50, .equatorial), (6, 75, .meridional),
                      (-3, 10, .meridional)])
    func maierSaupeFitRecoversTruth(kappa: Double, director: Double, reflection: ReflectionType) {
        let truth = MaierSaupeProfile([400, kappa, director, 30, 0.01], reflection: reflection)
        let intensity = Self.chi.map(truth.intensity)
        let fit = ProfileFitter(reflection: reflection).fit(.ms, chiDeg: Self.chi, intensity: intensity,
                                                           sigma: intensity.map { $0.squareRoot() },
                                                           count: Self.chi.map { _ in 10 })
        #expect(fit.status == "ok", "\(fit.reason)")
        for (value, expected) in zip(fit.parameters, [400, kappa, director, 30, 0.01]) {
            #expect(abs(value - expected) < 1e-6 * max(abs(expected), 1), "\(fit.parameters)")
        }
        #expect(abs(fit.orderParameter - MaierSaupe.orderParameter(kappa: kappa)) < 1e-9)
        #expect(abs(fit.directorDeg - director) < 1e-6 && fit.r2 > 1 - 1e-12)
    }

    @Test func pseudoVoigtFitRecoversTruth() {
        let truthValues = [900.0, -40, 25, 0.3, 12, -0.02]
        let truth = PseudoVoigtProfile(truthValues)
        let intensity = Self.chi.map(truth.intensity)
        let fit = ProfileFitter(reflection: .equatorial).fit(.pv, chiDeg: Self.chi, intensity: intensity,
                                                            sigma: intensity.map { $0.squareRoot() },
                                                            count: Self.chi.map { _ in 10 })
        #expect(fit.status == "ok", "\(fit.reason)")
        for (value, expected) in zip(fit.parameters, truthValues) {
            #expect(abs(value - expected) < 1e-6 * max(abs(expected), 1), "\(fit.parameters)")
        }
        #expect(abs(fit.directorDeg - 50) < 1e-6 && fit.orderParameter > 0 && fit.orderParameter < 1)
    }

    /// A flat profile leaves the Maier–Saupe amplitude and background degenerate (κ = 0), and bins without pixels
    /// leave too few to fit: both are statuses with reasons, not NaN without one.
    @Test func failedFitsAreStatuses() {
        let flat = Self.chi.map { _ in 50.0 }
        let fitter = ProfileFitter(reflection: .equatorial)
        let ms = fitter.fit(.ms, chiDeg: Self.chi, intensity: flat, sigma: flat.map { $0.squareRoot() },
                            count: Self.chi.map { _ in 10 })
        #expect(ms.status != "ok" && !ms.reason.isEmpty, "\(ms.status) \(ms.parameters)")
        let sparse = fitter.fit(.pv, chiDeg: Self.chi, intensity: flat, sigma: flat,
                                count: Self.chi.indices.map { $0 < 6 ? 1 : 0 })
        #expect(sparse.status == "too_few_bins" && sparse.reason.contains("6 chi bins"))
    }
}
