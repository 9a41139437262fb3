import Foundation

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

    /// sasmodels' defaults for the parameters not given.
    public init(sasmodels p: [String: Double]) {
        self.init(radius: p["radius"] ?? 20, thickness: p["thickness"] ?? 20, length: p["length"] ?? 400,
                  sldCore: p["sld_core"] ?? 4, sldShell: p["sld_shell"] ?? 4)
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

/// Radius polydispersity takes the tabulated path (``FastPath``).
extension CoreShellCylinderModel: CylinderFamilyModel {
    func cylinderFamily(solvent: Double) -> FastPath.CylinderFamily {
        let l = length, t = thickness
        return FastPath.CylinderFamily(radius: radius, thickness: thickness, length: length,
                                       coreContrast: sldCore - sldShell, shellContrast: sldShell - solvent,
                                       outerVolume: { Double.pi * ($0 + t) * ($0 + t) * (l + 2 * t) })
    }
}

extension ShapeClass {
    /// Core-shell cylinders: outer radius in `size`, the shell a `shell_fraction` of it, the core's length a
    /// `cylinder_length_ratio` times the core radius.
    public static let coreShellCylinder = ShapeClass("core_shell_cylinder", model: CoreShellCylinderModel.self,
                                                     isElongated: true) { d in
        let outer = d.logUniform(\.size)
        let thickness = d.uniform(\.shellFraction) * outer
        let radius = outer - thickness
        return CoreShellCylinderModel(radius: radius, thickness: thickness,
                                      length: d.uniform(\.cylinderLengthRatio) * radius,
                                      sldCore: d.uniform(\.sldCore), sldShell: d.uniform(\.sldShell))
    }
}
