import Foundation

/// sasmodels `ellipsoid` (of revolution): F = Δρ·V·Φ(q·r(u)), r(u)² = R_e²(1 − u²) + R_p²u². R_p < R_e is oblate,
/// R_p > R_e prolate. The polydisperse parameter is the major semi-axis: R_e for oblate, R_p for prolate bodies.
public struct EllipsoidModel: FormFactorModel {
    public var radiusPolar: Double
    public var radiusEquatorial: Double
    public var sld: Double
    public init(radiusPolar: Double, radiusEquatorial: Double, sld: Double) {
        self.radiusPolar = radiusPolar; self.radiusEquatorial = radiusEquatorial; self.sld = sld
    }

    /// sasmodels' defaults for the parameters not given.
    public init(sasmodels p: [String: Double]) {
        self.init(radiusPolar: p["radius_polar"] ?? 20, radiusEquatorial: p["radius_equatorial"] ?? 400,
                  sld: p["sld"] ?? 4)
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

extension ShapeClass {
    /// Oblate spheroids: equatorial semi-axis in `size`, polar over equatorial in `oblate_aspect`.
    public static let oblateEllipsoid = ShapeClass("oblate_ellipsoid", model: EllipsoidModel.self,
                                                   usesLengthScale: true) { d in
        let equatorial = d.logUniform(\.size)
        return EllipsoidModel(radiusPolar: d.uniform(\.oblateAspect) * equatorial, radiusEquatorial: equatorial,
                              sld: d.uniform(\.sld))
    }

    /// Prolate spheroids: polar semi-axis in `size`, polar over equatorial in `prolate_aspect`.
    public static let prolateEllipsoid = ShapeClass("prolate_ellipsoid", model: EllipsoidModel.self,
                                                    usesLengthScale: true, isElongated: true) { d in
        let polar = d.logUniform(\.size)
        return EllipsoidModel(radiusPolar: polar, radiusEquatorial: polar / d.uniform(\.prolateAspect),
                              sld: d.uniform(\.sld))
    }
}
