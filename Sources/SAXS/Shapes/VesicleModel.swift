import Foundation

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

    /// sasmodels' defaults for the parameters not given.
    public init(sasmodels p: [String: Double]) {
        self.init(radius: p["radius"] ?? 100, thickness: p["thickness"] ?? 30, sld: p["sld"] ?? 0.5,
                  volfraction: p["volfraction"] ?? 0.05)
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

extension ShapeClass {
    /// Hollow spheres, sasmodels `vesicle`: normalised by the shell volume, the volume fraction in `volfraction`
    /// (scale = 1). Outer radius in `hollow_outer_radius`, inner radius a `hollow_inner_fraction` of it.
    public static let hollowSphere = ShapeClass("hollow_sphere", model: VesicleModel.self) { d in
        let outer = d.logUniform(\.hollowOuterRadius)
        let inner = d.uniform(\.hollowInnerFraction) * outer
        d.scale = 1
        return VesicleModel(radius: inner, thickness: outer - inner, sld: d.uniform(\.sld),
                            volfraction: d.volumeFraction)
    }
}
