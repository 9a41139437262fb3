import Foundation

/// sasmodels `sphere`: F = Δρ·V·Φ(qR).
public struct SphereModel: FormFactorModel {
    public var radius: Double
    public var sld: Double
    public init(radius: Double, sld: Double) { self.radius = radius; self.sld = sld }

    /// sasmodels' defaults for the parameters not given.
    public init(sasmodels p: [String: Double]) { self.init(radius: p["radius"] ?? 50, sld: p["sld"] ?? 1) }

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

extension ShapeClass {
    /// Homogeneous spheres: radius in `size`.
    public static let sphere = ShapeClass("sphere", model: SphereModel.self) { d in
        SphereModel(radius: d.logUniform(\.size), sld: d.uniform(\.sld))
    }
}
