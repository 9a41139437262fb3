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
