import Foundation

/// sasmodels `core_shell_sphere`: F = V_c(ρ_c − ρ_s)Φ(qR_c) + V_o(ρ_s − ρ₀)Φ(q(R_c + t)), normalised by V_o.
public struct CoreShellSphereModel: FormFactorModel {
    public var radius: Double
    public var thickness: Double
    public var sldCore: Double
    public var sldShell: Double
    public init(radius: Double, thickness: Double, sldCore: Double, sldShell: Double) {
        self.radius = radius; self.thickness = thickness; self.sldCore = sldCore; self.sldShell = sldShell
    }

    /// sasmodels' defaults for the parameters not given.
    public init(sasmodels p: [String: Double]) {
        self.init(radius: p["radius"] ?? 60, thickness: p["thickness"] ?? 10, sldCore: p["sld_core"] ?? 1,
                  sldShell: p["sld_shell"] ?? 2)
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

extension ShapeClass {
    /// Core-shell spheres: outer radius in `size`, the shell a `shell_fraction` of it.
    public static let coreShellSphere = ShapeClass("core_shell_sphere", model: CoreShellSphereModel.self) { d in
        let outer = d.logUniform(\.size)
        let thickness = d.uniform(\.shellFraction) * outer
        return CoreShellSphereModel(radius: outer - thickness, thickness: thickness, sldCore: d.uniform(\.sldCore),
                                    sldShell: d.uniform(\.sldShell))
    }
}
