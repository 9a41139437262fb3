import Foundation

/// sasmodels `core_shell_ellipsoid`: core semi-axes R_ec and R_pc = x_core·R_ec; shell of equatorial thickness t and
/// polar thickness t·x_polar_shell. x_core < 1 makes an oblate core, > 1 a prolate one. The polydisperse parameter
/// is `radius_equat_core` (the core keeps its shape).
public struct CoreShellEllipsoidModel: FormFactorModel {
    public var radiusEquatCore: Double
    public var xCore: Double
    public var thickShell: Double
    public var xPolarShell: Double
    public var sldCore: Double
    public var sldShell: Double
    public init(radiusEquatCore: Double, xCore: Double, thickShell: Double, xPolarShell: Double, sldCore: Double,
                sldShell: Double) {
        self.radiusEquatCore = radiusEquatCore; self.xCore = xCore; self.thickShell = thickShell
        self.xPolarShell = xPolarShell; self.sldCore = sldCore; self.sldShell = sldShell
    }

    /// sasmodels' defaults for the parameters not given.
    public init(sasmodels p: [String: Double]) {
        self.init(radiusEquatCore: p["radius_equat_core"] ?? 20, xCore: p["x_core"] ?? 3,
                  thickShell: p["thick_shell"] ?? 30, xPolarShell: p["x_polar_shell"] ?? 1,
                  sldCore: p["sld_core"] ?? 2, sldShell: p["sld_shell"] ?? 1)
    }

    public static let sasmodelsName = "core_shell_ellipsoid"
    public var sizeParameter: String { "radius_equat_core" }
    public static var isAnisotropic: Bool { true }
    var polarCore: Double { radiusEquatCore * xCore }
    var equatorialOuter: Double { radiusEquatCore + thickShell }
    var polarOuter: Double { polarCore + thickShell * xPolarShell }
    public func setting(_ parameter: String, to value: Double) -> Self? {
        var m = self
        switch parameter {
        case "radius_equat_core": m.radiusEquatCore = value
        case "thick_shell": m.thickShell = value
        default: return nil
        }
        return m
    }
    public var maxDimension: Double { max(equatorialOuter, polarOuter) }
    public var volume: Double { Volume.spheroid(polar: polarOuter, equatorial: equatorialOuter) }
    var coreVolume: Double { Volume.spheroid(polar: polarCore, equatorial: radiusEquatCore) }

    public func meanSquaredAmplitude(q: Double, solvent: Double, rule: OrientationRule) -> Double {
        let fc = (sldCore - sldShell) * coreVolume, fo = (sldShell - solvent) * volume
        let q2 = q * q
        let ec = q2 * radiusEquatCore * radiusEquatCore, dc = q2 * polarCore * polarCore - ec
        let eo = q2 * equatorialOuter * equatorialOuter, dout = q2 * polarOuter * polarOuter - eo
        var sum = 0.0
        rule.u.withUnsafeBufferPointer { u in
            rule.weights.withUnsafeBufferPointer { w in
                for i in 0..<u.count {
                    let u2 = u[i] * u[i]
                    let f = fc * Amplitude.sphere((ec + dc * u2).squareRoot())
                        + fo * Amplitude.sphere((eo + dout * u2).squareRoot())
                    sum += w[i] * f * f
                }
            }
        }
        return sum
    }
    public func forwardAmplitude(solvent: Double) -> Double {
        (sldCore - sldShell) * coreVolume + (sldShell - solvent) * volume
    }
    public func gyrationSquared(solvent: Double) -> Double {
        let fc = (sldCore - sldShell) * coreVolume, fo = (sldShell - solvent) * volume
        return (fc * SecondMoment.spheroid(polar: polarCore, equatorial: radiusEquatCore)
                + fo * SecondMoment.spheroid(polar: polarOuter, equatorial: equatorialOuter)) / (fc + fo)
    }
    public func parameters(solvent: Double) -> [(String, Double)] {
        [("radius_equat_core", radiusEquatCore), ("x_core", xCore), ("thick_shell", thickShell),
         ("x_polar_shell", xPolarShell), ("sld_core", sldCore), ("sld_shell", sldShell), ("sld_solvent", solvent)]
    }
}

extension ShapeClass {
    /// Core-shell oblate spheroids: outer equatorial semi-axis in `size`, the shell (of equal thickness all round)
    /// a `shell_fraction` of it, the core's aspect in `oblate_aspect`.
    public static let coreShellOblateEllipsoid = ShapeClass(
        "core_shell_oblate_ellipsoid", model: CoreShellEllipsoidModel.self, usesLengthScale: true
    ) { d in
        let outer = d.logUniform(\.size)
        let thickness = d.uniform(\.shellFraction) * outer
        return CoreShellEllipsoidModel(radiusEquatCore: outer - thickness, xCore: d.uniform(\.oblateAspect),
                                       thickShell: thickness, xPolarShell: 1, sldCore: d.uniform(\.sldCore),
                                       sldShell: d.uniform(\.sldShell))
    }

    /// Core-shell prolate spheroids: outer polar semi-axis in `size`, the shell (of equal thickness all round) a
    /// `shell_fraction` of it, the core's aspect in `prolate_aspect`.
    public static let coreShellProlateEllipsoid = ShapeClass(
        "core_shell_prolate_ellipsoid", model: CoreShellEllipsoidModel.self, usesLengthScale: true, isElongated: true
    ) { d in
        let outer = d.logUniform(\.size)
        let thickness = d.uniform(\.shellFraction) * outer
        let aspect = d.uniform(\.prolateAspect)
        return CoreShellEllipsoidModel(radiusEquatCore: (outer - thickness) / aspect, xCore: aspect,
                                       thickShell: thickness, xPolarShell: 1, sldCore: d.uniform(\.sldCore),
                                       sldShell: d.uniform(\.sldShell))
    }
}
