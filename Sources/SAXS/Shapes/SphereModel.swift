import Foundation

// The seven sasmodels models behind the nine shape classes. Formulas: sasmodels 1.1.0 `models/<name>.c`, as
// summarised in docs/reference/saxs-physics.md §2. Orientation averages are ∫₀¹ du over u = cos α (sasmodels' ∫ sin α dα).

/// sasmodels `sphere`: F = Δρ·V·Φ(qR).
public struct SphereModel: FormFactorModel {
    public var radius: Double
    public var sld: Double
    public init(radius: Double, sld: Double) { self.radius = radius; self.sld = sld }

    public static let sasmodelsName = "sphere"
    public var sizeParameter: String { "radius" }
    public func setting(_ parameter: String, to value: Double) -> Self? {
        var m = self
        switch parameter {
        case "radius": m.radius = value
        default: return nil
        }
        return m
    }
    public var maxDimension: Double { radius }
    public var volume: Double { Volume.sphere(radius: radius) }

    public func meanSquaredAmplitude(q: Double, solvent: Double, rule: OrientationRule) -> Double {
        let f = (sld - solvent) * volume * Amplitude.sphere(q * radius)
        return f * f
    }
    public func forwardAmplitude(solvent: Double) -> Double { (sld - solvent) * volume }
    public func gyrationSquared(solvent: Double) -> Double { SecondMoment.sphere(radius: radius) }
    public func parameters(solvent: Double) -> [(String, Double)] {
        [("radius", radius), ("sld", sld), ("sld_solvent", solvent)]
    }
}

/// sasmodels `core_shell_sphere`: F = V_c(ρ_c − ρ_s)Φ(qR_c) + V_o(ρ_s − ρ₀)Φ(q(R_c + t)), normalised by V_o.
public struct CoreShellSphereModel: FormFactorModel {
    public var radius: Double
    public var thickness: Double
    public var sldCore: Double
    public var sldShell: Double
    public init(radius: Double, thickness: Double, sldCore: Double, sldShell: Double) {
        self.radius = radius; self.thickness = thickness; self.sldCore = sldCore; self.sldShell = sldShell
    }

    public static let sasmodelsName = "core_shell_sphere"
    public var sizeParameter: String { "radius" }
    public func setting(_ parameter: String, to value: Double) -> Self? {
        var m = self
        switch parameter {
        case "radius": m.radius = value
        case "thickness": m.thickness = value
        default: return nil
        }
        return m
    }
    public var maxDimension: Double { radius + thickness }
    public var volume: Double { Volume.sphere(radius: radius + thickness) }

    public func meanSquaredAmplitude(q: Double, solvent: Double, rule: OrientationRule) -> Double {
        let outer = radius + thickness
        let f = Volume.sphere(radius: radius) * (sldCore - sldShell) * Amplitude.sphere(q * radius)
            + Volume.sphere(radius: outer) * (sldShell - solvent) * Amplitude.sphere(q * outer)
        return f * f
    }
    public func forwardAmplitude(solvent: Double) -> Double {
        Volume.sphere(radius: radius) * (sldCore - sldShell) + volume * (sldShell - solvent)
    }
    public func gyrationSquared(solvent: Double) -> Double {
        let vc = Volume.sphere(radius: radius) * (sldCore - sldShell), vo = volume * (sldShell - solvent)
        return (vc * SecondMoment.sphere(radius: radius) + vo * SecondMoment.sphere(radius: radius + thickness))
            / (vc + vo)
    }
    public func parameters(solvent: Double) -> [(String, Double)] {
        [("radius", radius), ("thickness", thickness), ("sld_core", sldCore), ("sld_shell", sldShell),
         ("sld_solvent", solvent)]
    }
}

/// sasmodels `vesicle` (the hollow sphere): a shell of SLD ρ from R to R + t with solvent inside and out.
/// F = V_c(ρ₀ − ρ)Φ(qR) + V_o(ρ − ρ₀)Φ(q(R + t)); the intensity is multiplied by `volfraction` and normalised by the
/// **shell** volume V_o − V_c.
public struct VesicleModel: FormFactorModel {
    public var radius: Double
    public var thickness: Double
    public var sld: Double
    public var volfraction: Double
    public init(radius: Double, thickness: Double, sld: Double, volfraction: Double) {
        self.radius = radius; self.thickness = thickness; self.sld = sld; self.volfraction = volfraction
    }

    public static let sasmodelsName = "vesicle"
    public var sizeParameter: String { "radius" }
    public func setting(_ parameter: String, to value: Double) -> Self? {
        var m = self
        switch parameter {
        case "radius": m.radius = value
        case "thickness": m.thickness = value
        default: return nil
        }
        return m
    }
    public var maxDimension: Double { radius + thickness }
    public var volume: Double { Volume.sphere(radius: radius + thickness) - Volume.sphere(radius: radius) }
    public var intensityFactor: Double { volfraction }

    public func meanSquaredAmplitude(q: Double, solvent: Double, rule: OrientationRule) -> Double {
        let outer = radius + thickness
        let f = (sld - solvent) * (Volume.sphere(radius: outer) * Amplitude.sphere(q * outer)
                                   - Volume.sphere(radius: radius) * Amplitude.sphere(q * radius))
        return f * f
    }
    public func forwardAmplitude(solvent: Double) -> Double { (sld - solvent) * volume }
    public func gyrationSquared(solvent: Double) -> Double {
        let ro = radius + thickness
        return 0.6 * (pow(ro, 5) - pow(radius, 5)) / (pow(ro, 3) - pow(radius, 3))
    }
    public func parameters(solvent: Double) -> [(String, Double)] {
        [("radius", radius), ("thickness", thickness), ("sld", sld), ("sld_solvent", solvent),
         ("volfraction", volfraction)]
    }
}

/// sasmodels `cylinder`: F = Δρ·πR²L·sinc(qLu/2)·2J₁(qR√(1 − u²))/(qR√(1 − u²)).
public struct CylinderModel: FormFactorModel {
    public var radius: Double
    public var length: Double
    public var sld: Double
    public init(radius: Double, length: Double, sld: Double) {
        self.radius = radius; self.length = length; self.sld = sld
    }

    public static let sasmodelsName = "cylinder"
    public var sizeParameter: String { "radius" }
    public static var isAnisotropic: Bool { true }
    public func setting(_ parameter: String, to value: Double) -> Self? {
        var m = self
        switch parameter {
        case "radius": m.radius = value
        case "length": m.length = value
        default: return nil
        }
        return m
    }
    public var maxDimension: Double { max(radius, length / 2) }
    public var volume: Double { Volume.cylinder(radius: radius, length: length) }

    public func meanSquaredAmplitude(q: Double, solvent: Double, rule: OrientationRule) -> Double {
        let qr = q * radius, qh = q * length / 2
        var sum = 0.0
        rule.u.withUnsafeBufferPointer { u in
            rule.weights.withUnsafeBufferPointer { w in
                for i in 0..<u.count {
                    let a = Amplitude.sinc(qh * u[i]) * Amplitude.disc(qr * (1 - u[i] * u[i]).squareRoot())
                    sum += w[i] * a * a
                }
            }
        }
        let f0 = (sld - solvent) * volume
        return f0 * f0 * sum
    }
    public func forwardAmplitude(solvent: Double) -> Double { (sld - solvent) * volume }
    public func gyrationSquared(solvent: Double) -> Double { SecondMoment.cylinder(radius: radius, length: length) }
    public func parameters(solvent: Double) -> [(String, Double)] {
        [("radius", radius), ("length", length), ("sld", sld), ("sld_solvent", solvent)]
    }
}

/// sasmodels `core_shell_cylinder`: a core of radius R and length L in a shell of thickness t that also covers
/// both end caps (outer radius R + t, outer length L + 2t).
public struct CoreShellCylinderModel: FormFactorModel {
    public var radius: Double
    public var thickness: Double
    public var length: Double
    public var sldCore: Double
    public var sldShell: Double
    public init(radius: Double, thickness: Double, length: Double, sldCore: Double, sldShell: Double) {
        self.radius = radius; self.thickness = thickness; self.length = length
        self.sldCore = sldCore; self.sldShell = sldShell
    }

    public static let sasmodelsName = "core_shell_cylinder"
    public var sizeParameter: String { "radius" }
    public static var isAnisotropic: Bool { true }
    public func setting(_ parameter: String, to value: Double) -> Self? {
        var m = self
        switch parameter {
        case "radius": m.radius = value
        case "thickness": m.thickness = value
        case "length": m.length = value
        default: return nil
        }
        return m
    }
    public var maxDimension: Double { max(radius, length / 2) + thickness }
    public var volume: Double { Volume.cylinder(radius: radius + thickness, length: length + 2 * thickness) }
    var coreVolume: Double { Volume.cylinder(radius: radius, length: length) }

    public func meanSquaredAmplitude(q: Double, solvent: Double, rule: OrientationRule) -> Double {
        let fc = (sldCore - sldShell) * coreVolume, fo = (sldShell - solvent) * volume
        let qrc = q * radius, qhc = q * length / 2
        let qro = q * (radius + thickness), qho = q * (length / 2 + thickness)
        var sum = 0.0
        rule.u.withUnsafeBufferPointer { u in
            rule.weights.withUnsafeBufferPointer { w in
                for i in 0..<u.count {
                    let s = (1 - u[i] * u[i]).squareRoot()
                    let f = fc * Amplitude.sinc(qhc * u[i]) * Amplitude.disc(qrc * s)
                        + fo * Amplitude.sinc(qho * u[i]) * Amplitude.disc(qro * s)
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
        return (fc * SecondMoment.cylinder(radius: radius, length: length)
                + fo * SecondMoment.cylinder(radius: radius + thickness, length: length + 2 * thickness)) / (fc + fo)
    }
    public func parameters(solvent: Double) -> [(String, Double)] {
        [("radius", radius), ("thickness", thickness), ("length", length), ("sld_core", sldCore),
         ("sld_shell", sldShell), ("sld_solvent", solvent)]
    }
}

/// sasmodels `ellipsoid` (of revolution): F = Δρ·V·Φ(q·r(u)), r(u)² = R_e²(1 − u²) + R_p²u². R_p < R_e is oblate,
/// R_p > R_e prolate. The polydisperse parameter is the major semi-axis: R_e for oblate, R_p for prolate bodies.
public struct EllipsoidModel: FormFactorModel {
    public var radiusPolar: Double
    public var radiusEquatorial: Double
    public var sld: Double
    public init(radiusPolar: Double, radiusEquatorial: Double, sld: Double) {
        self.radiusPolar = radiusPolar; self.radiusEquatorial = radiusEquatorial; self.sld = sld
    }

    public static let sasmodelsName = "ellipsoid"
    public static var isAnisotropic: Bool { true }
    /// The major semi-axis: `radius_polar` for prolate bodies, `radius_equatorial` otherwise.
    public var sizeParameter: String { radiusPolar > radiusEquatorial ? "radius_polar" : "radius_equatorial" }
    public func setting(_ parameter: String, to value: Double) -> Self? {
        var m = self
        switch parameter {
        case "radius_polar": m.radiusPolar = value
        case "radius_equatorial": m.radiusEquatorial = value
        default: return nil
        }
        return m
    }
    public var maxDimension: Double { max(radiusPolar, radiusEquatorial) }
    public var volume: Double { Volume.spheroid(polar: radiusPolar, equatorial: radiusEquatorial) }

    public func meanSquaredAmplitude(q: Double, solvent: Double, rule: OrientationRule) -> Double {
        let qe2 = q * q * radiusEquatorial * radiusEquatorial
        let dq2 = q * q * (radiusPolar * radiusPolar - radiusEquatorial * radiusEquatorial)
        var sum = 0.0
        rule.u.withUnsafeBufferPointer { u in
            rule.weights.withUnsafeBufferPointer { w in
                for i in 0..<u.count {
                    let a = Amplitude.sphere((qe2 + dq2 * u[i] * u[i]).squareRoot())
                    sum += w[i] * a * a
                }
            }
        }
        let f0 = (sld - solvent) * volume
        return f0 * f0 * sum
    }
    public func forwardAmplitude(solvent: Double) -> Double { (sld - solvent) * volume }
    public func gyrationSquared(solvent: Double) -> Double {
        SecondMoment.spheroid(polar: radiusPolar, equatorial: radiusEquatorial)
    }
    public func parameters(solvent: Double) -> [(String, Double)] {
        [("radius_polar", radiusPolar), ("radius_equatorial", radiusEquatorial), ("sld", sld),
         ("sld_solvent", solvent)]
    }
}

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
