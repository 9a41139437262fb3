import Foundation
import Testing
import SAXS

/// Form factors, orientation averages and polydispersity against sasmodels 1.1.0 (saxs_golden.json) and against
/// slow converged references.
@Suite struct FormFactorTests {
    @Test("the golden file is present and complete")
    func goldenFile() {
        #expect(Golden.official.count == 15)
        #expect(Golden.generated.count == 17)
        #expect(Golden.convergence.count == 5)
    }

    // sasmodels' own rule for its tests: 5 significant digits. PD cases use sasmodels' grid (radius_pd_n = 45).
    @Test("official sasmodels tests to 5 significant digits", arguments: Golden.official)
    func official(_ c: Golden.Case) throws {
        let values = try c.sample(uniformGrid: true).intensity(q: c.q)
        for (q, (value, expected)) in zip(c.q, zip(values, c.expected)) {
            #expect(Golden.nearFiveDigits(value, expected), "q=\(q): \(value) vs \(expected)")
        }
    }

    // With sasmodels' own orientation rules and PD grids the same definitions reproduce its double-precision
    // numbers to rounding (1e-9).
    @Test("beamforge-regime values reproduced to 1e-9 with sasmodels' rules", arguments: Golden.generated)
    func generatedReproduced(_ c: Golden.Case) throws {
        let values = try c.sample(uniformGrid: true).intensity(q: c.q, accuracy: .sasmodels)
        for (q, (value, expected)) in zip(c.q, zip(values, c.expected)) {
            #expect(abs(value / expected - 1) <= 1e-9, "q=\(q): \(value) vs \(expected)")
        }
    }

    // With beamforge's converged rules: 1e-4 (the requirement) wherever sasmodels' rule is itself converged, i.e.
    // where it agrees with the converged reference to 1e-6. Elsewhere (core_shell_cylinder at q = 0.3, where
    // q·r_max = 99 selects 76 points: 1.3e-3) sasmodels is the one off, and beamforge must match the reference.
    @Test("beamforge-regime values to 1e-4 with beamforge's rules", arguments: Golden.generated)
    func generated(_ c: Golden.Case) throws {
        let sample = try c.sample(uniformGrid: true)
        let values = sample.intensity(q: c.q)
        let reference = sample.intensity(q: c.q, accuracy: .reference)
        for i in 0..<c.q.count {
            if abs(reference[i] / c.expected[i] - 1) <= 1e-6 {
                #expect(abs(values[i] / c.expected[i] - 1) <= 1e-4, "q=\(c.q[i]): \(values[i]) vs \(c.expected[i])")
            }
            #expect(abs(values[i] / reference[i] - 1) <= 1e-6, "q=\(c.q[i]) against the converged reference")
        }
    }

    @Test("sasmodels' 35-point PD grid is reproduced and the converged integral matches the 801–2001-point one",
          arguments: Golden.convergence.map(\.name))
    func pdConvergence(_ name: String) throws {
        let entry = Golden.convergence.first { $0.name == name }!
        let sample = try Self.convergenceSample(name)
        var grid = sample
        grid.polydispersity = grid.polydispersity.map {
            var pd = $0; pd.distribution.uniformPoints = 35; return pd
        }
        let onGrid = grid.intensity(q: entry.q)
        let converged = sample.intensity(q: entry.q)
        for i in 0..<entry.q.count {
            #expect(abs(onGrid[i] / entry.n35[i] - 1) <= 1e-6, "n35 at q=\(entry.q[i]): \(onGrid[i]) vs \(entry.n35[i])")
            // The reference's own uniform grid keeps a 1/n bias of ~2e-4 at n = 801 (docs/reference/saxs-physics.md §4, §8.5).
            #expect(abs(converged[i] / entry.converged[i] - 1) <= 1e-3,
                    "converged at q=\(entry.q[i]): \(converged[i]) vs \(entry.converged[i])")
        }
    }

    static func convergenceSample(_ name: String) throws -> Sample {
        func pd(_ parameter: String, _ width: Double) -> Polydispersity {
            Polydispersity(parameter, SizeDistribution(relativeWidth: width))
        }
        switch name {
        case "sphere R500 pd0.1":
            return Sample(particle: SphereModel(radius: 500, sld: 10), solvent: 0, polydispersity: [pd("radius", 0.1)])
        case "sphere R1000 pd0.3":
            return Sample(particle: SphereModel(radius: 1000, sld: 10), solvent: 0, polydispersity: [pd("radius", 0.3)])
        case "sphere R50 pd0.3":
            return Sample(particle: SphereModel(radius: 50, sld: 10), solvent: 0, polydispersity: [pd("radius", 0.3)])
        case "css rc200 t50 pd0.2":
            return Sample(particle: CoreShellSphereModel(radius: 200, thickness: 50, sldCore: 1, sldShell: 10),
                          solvent: 0, polydispersity: [pd("radius", 0.2)])
        case "cyl R100 L800 pd0.2/0.2":
            return Sample(particle: CylinderModel(radius: 100, length: 800, sld: 10), solvent: 0,
                          polydispersity: [pd("radius", 0.2), pd("length", 0.2)])
        default:
            throw ParticleError("no sample for convergence case \(name)")
        }
    }

    /// The hardest corners of the generator's range on the NanoInXider grid (q up to 0.445 Å⁻¹).
    static let corners: [(String, Sample)] = {
        let q = 0.445
        _ = q
        func pd(_ p: String, _ w: Double) -> [Polydispersity] { [Polydispersity(p, SizeDistribution(relativeWidth: w))] }
        return [
            ("oblate Re 1000 Rp 100", Sample(particle: EllipsoidModel(radiusPolar: 100, radiusEquatorial: 1000, sld: 20), solvent: 9.47)),
            ("oblate Re 1000 Rp 100 pd 0.3", Sample(particle: EllipsoidModel(radiusPolar: 100, radiusEquatorial: 1000, sld: 20), solvent: 9.47, polydispersity: pd("radius_equatorial", 0.3))),
            ("prolate Rp 1000 Re 200 pd 0.05", Sample(particle: EllipsoidModel(radiusPolar: 1000, radiusEquatorial: 200, sld: 20), solvent: 9.47, polydispersity: pd("radius_polar", 0.05))),
            ("sphere R 1000 pd 0.3", Sample(particle: SphereModel(radius: 1000, sld: 20), solvent: 9.47, polydispersity: pd("radius", 0.3))),
            ("sphere R 1000 pd 0.01", Sample(particle: SphereModel(radius: 1000, sld: 20), solvent: 9.47, polydispersity: pd("radius", 0.01))),
            ("cylinder R 1000 L 2000 pd 0.02", Sample(particle: CylinderModel(radius: 1000, length: 2000, sld: 20), solvent: 9.47, polydispersity: pd("radius", 0.02))),
            ("cylinder R 50 L 100", Sample(particle: CylinderModel(radius: 50, length: 100, sld: 20), solvent: 9.47)),
            ("core-shell cylinder R 700 t 300 L 1400 pd 0.1", Sample(particle: CoreShellCylinderModel(radius: 700, thickness: 300, length: 1400, sldCore: 30, sldShell: 12), solvent: 9.47, polydispersity: pd("radius", 0.1))),
            ("core-shell sphere 800/200 pd 0.3", Sample(particle: CoreShellSphereModel(radius: 800, thickness: 200, sldCore: 30, sldShell: 12), solvent: 9.47, polydispersity: pd("radius", 0.3))),
            ("vesicle 900/100 pd 0.2", Sample(particle: VesicleModel(radius: 900, thickness: 100, sld: 12, volfraction: 0.01), solvent: 9.47, polydispersity: pd("radius", 0.2))),
            ("core-shell oblate 900 x 0.1 t 100 pd 0.3", Sample(particle: CoreShellEllipsoidModel(radiusEquatCore: 900, xCore: 0.1, thickShell: 100, xPolarShell: 1, sldCore: 30, sldShell: 12), solvent: 9.47, polydispersity: pd("radius_equat_core", 0.3))),
            ("core-shell prolate 180 x 5 t 100", Sample(particle: CoreShellEllipsoidModel(radiusEquatCore: 180, xCore: 5, thickShell: 100, xPolarShell: 1, sldCore: 30, sldShell: 12), solvent: 9.47)),
        ]
    }()

    /// Every third q of the NanoInXider grid (0.0019 to 0.445 Å⁻¹), to keep the direct references affordable.
    static let nanoInXiderQ = Swift.stride(from: 0, to: 400, by: 3).map { Instrument.nanoInXider.q[$0] } + [0.445]

    // The requirement is 1e-4 relative at every q; the standard rule is held to 2e-5 here to keep a margin.
    @Test("the adaptive rules converge at the hardest corners (≤ 2e-5 against a 2.5× finer reference)",
          arguments: corners.map(\.0))
    func corner(_ name: String) {
        let sample = Self.corners.first { $0.0 == name }!.1
        let q = Self.nanoInXiderQ
        let standard = sample.intensity(q: q)
        let reference = sample.intensity(q: q, accuracy: .reference)
        var worst = 0.0
        for i in 0..<q.count { worst = max(worst, abs(standard[i] / reference[i] - 1)) }
        #expect(worst <= 2e-5, "worst relative error \(worst)")
    }

    @Test("a fixed 76-point orientation rule is off by more than 10% for the oblate corner (the test can fail)")
    func fixedRuleFails() {
        let sample = Self.corners[0].1
        let q = Self.nanoInXiderQ
        let fixed = QuadratureAccuracy(orientationBase: 76, orientationSlope: 0, sizeBase: 16, sizeSlope: 0.4)
        let coarse = sample.intensity(q: q, accuracy: fixed)
        let reference = sample.intensity(q: q, accuracy: .reference)
        let worst = zip(coarse, reference).map { abs($0 / $1 - 1) }.max()!
        #expect(worst > 0.1)
    }

    @Test("vesicle and core_shell_sphere hollow conventions differ by V_o/(V_o − V_c)")
    func hollowConventions() {
        let q = [0.0031, 0.01, 0.03, 0.1, 0.445]
        let vesicle = Sample(particle: VesicleModel(radius: 300, thickness: 40, sld: 10, volfraction: 1), solvent: 0)
        let coreShell = Sample(particle: CoreShellSphereModel(radius: 300, thickness: 40, sldCore: 0, sldShell: 10), solvent: 0)
        let ratio = 340.0 * 340 * 340 / (340.0 * 340 * 340 - 300.0 * 300 * 300)
        for (a, b) in zip(vesicle.intensity(q: q), coreShell.intensity(q: q)) {
            #expect(abs(a / b / ratio - 1) < 1e-12)
        }
    }

    @Test("z-averaged Rg: sphere ⟨R⁸⟩/⟨R⁶⟩ ratios of docs/reference/saxs-physics.md §7.2, shells and rods in closed form")
    func radiusOfGyration() {
        func sphere(_ pd: Double) -> Double {
            Sample(particle: SphereModel(radius: 100, sld: 10), solvent: 0,
                   polydispersity: [Polydispersity("radius", SizeDistribution(relativeWidth: pd))]).radiusOfGyration
        }
        let mono = sphere(0)
        #expect(abs(mono - 0.6.squareRoot() * 100) < 1e-9)
        // √(⟨R⁸⟩/⟨R⁶⟩)/R over the ±3σ-truncated Gaussian, by a fine trapezoid rule. (docs/reference/saxs-physics.md §7.2 quotes
        // 1.060, 1.211, 1.406, between the truncated and the untruncated values: within 4e-3.)
        for pd in [0.1, 0.2, 0.3] {
            var m8 = 0.0, m6 = 0.0
            for i in 0...200_000 {
                let r = 100 * (1 - 3 * pd + 6 * pd * Double(i) / 200_000)
                let w = exp(-pow((r - 100) / (pd * 100), 2) / 2) * (i == 0 || i == 200_000 ? 0.5 : 1)
                m8 += w * pow(r, 8)
                m6 += w * pow(r, 6)
            }
            let ratio = (m8 / m6).squareRoot() / 100
            #expect(abs(sphere(pd) / mono - ratio) < 1e-9, "PD \(pd)")
            #expect(abs(sphere(pd) / mono - [0.1: 1.060, 0.2: 1.211, 0.3: 1.406][pd]!) < 4e-3)
        }
        let vesicle = Sample(particle: VesicleModel(radius: 300, thickness: 30, sld: 10, volfraction: 1), solvent: 0)
        #expect(abs(vesicle.radiusOfGyration - 315.6) < 0.05)
        let cylinder = Sample(particle: CylinderModel(radius: 50, length: 500, sld: 10), solvent: 0)
        #expect(abs(cylinder.radiusOfGyration - 148.6) < 0.05)
        let coreShell = Sample(particle: CoreShellSphereModel(radius: 200, thickness: 50, sldCore: 1, sldShell: 10), solvent: 0)
        #expect(abs(coreShell.radiusOfGyration - 221.4) < 0.05)
        let matched = Sample(particle: SphereModel(radius: 100, sld: 9.47), solvent: 9.47)
        #expect(matched.radiusOfGyration.isNaN)
    }
}

/// The fast paths against direct sums over every orientation and size node.
@Suite struct FastPathTests {
    static let cases: [(String, Sample)] = {
        func pd(_ p: String, _ w: Double) -> [Polydispersity] { [Polydispersity(p, SizeDistribution(relativeWidth: w))] }
        let scale = Polydispersity.lengthScale
        return [
            ("oblate 1000/100 scale 0.01", Sample(particle: EllipsoidModel(radiusPolar: 100, radiusEquatorial: 1000, sld: 20), solvent: 9.47, polydispersity: pd(scale, 0.01))),
            ("oblate 1000/100 scale 0.3", Sample(particle: EllipsoidModel(radiusPolar: 100, radiusEquatorial: 1000, sld: 20), solvent: 9.47, polydispersity: pd(scale, 0.3))),
            ("prolate 1000/200 scale 0.05", Sample(particle: EllipsoidModel(radiusPolar: 1000, radiusEquatorial: 200, sld: 20), solvent: 9.47, polydispersity: pd(scale, 0.05))),
            ("cs oblate 900 x0.1 t100 scale 0.02", Sample(particle: CoreShellEllipsoidModel(radiusEquatCore: 900, xCore: 0.1, thickShell: 100, xPolarShell: 1, sldCore: 30, sldShell: 12), solvent: 9.47, polydispersity: pd(scale, 0.02))),
            ("cs prolate 180 x5 t100 scale 0.2", Sample(particle: CoreShellEllipsoidModel(radiusEquatCore: 180, xCore: 5, thickShell: 100, xPolarShell: 1, sldCore: 30, sldShell: 12), solvent: 9.47, polydispersity: pd(scale, 0.2))),
            ("cylinder 1000/2000 radius 0.02", Sample(particle: CylinderModel(radius: 1000, length: 2000, sld: 20), solvent: 9.47, polydispersity: pd("radius", 0.02))),
            ("cylinder 300/400 radius 0.3", Sample(particle: CylinderModel(radius: 300, length: 400, sld: 20), solvent: 9.47, polydispersity: pd("radius", 0.3))),
            ("cs cylinder 700/300/1400 radius 0.01", Sample(particle: CoreShellCylinderModel(radius: 700, thickness: 300, length: 1400, sldCore: 30, sldShell: 12), solvent: 9.47, polydispersity: pd("radius", 0.01))),
            ("cs cylinder 60/20/100 radius 0.25", Sample(particle: CoreShellCylinderModel(radius: 60, thickness: 20, length: 100, sldCore: 30, sldShell: 12), solvent: 9.47, polydispersity: pd("radius", 0.25))),
        ]
    }()

    @Test("tabulated fast paths agree with direct sums to 1e-5", arguments: cases.map(\.0))
    func agree(_ name: String) {
        let sample = Self.cases.first { $0.0 == name }!.1
        // 0 to 0.46 Å⁻¹ in steps of 0.0015 (the tables are interpolated between their own nodes, not these).
        let q = (0..<307).map { 0.0015 * Double($0) }
        let fast = sample.intensity(q: q)
        let direct = sample.intensity(q: q, accuracy: .reference)
        var worst = 0.0
        for i in 0..<q.count { worst = max(worst, abs(fast[i] / direct[i] - 1)) }
        #expect(worst <= 1e-5, "worst relative difference \(worst)")
    }
}
