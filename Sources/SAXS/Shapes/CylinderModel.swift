import Foundation

/// sasmodels `cylinder`: F = Δρ·πR²L·sinc(qLu/2)·2J₁(qR√(1 − u²))/(qR√(1 − u²)).
public struct CylinderModel: FormFactorModel {
    public var radius: Double
    public var length: Double
    public var sld: Double
    public init(radius: Double, length: Double, sld: Double) {
        self.radius = radius; self.length = length; self.sld = sld
    }

    /// sasmodels' defaults for the parameters not given.
    public init(sasmodels p: [String: Double]) {
        self.init(radius: p["radius"] ?? 20, length: p["length"] ?? 400, sld: p["sld"] ?? 4)
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

/// Radius polydispersity takes the tabulated path (``FastPath``).
extension CylinderModel: CylinderFamilyModel {
    func cylinderFamily(solvent: Double) -> FastPath.CylinderFamily {
        let l = length
        return FastPath.CylinderFamily(radius: radius, thickness: 0, length: length, coreContrast: sld - solvent,
                                       shellContrast: 0, outerVolume: { Double.pi * $0 * $0 * l })
    }
}

extension ShapeClass {
    /// Cylinders: radius in `size`, length a `cylinder_length_ratio` times the radius.
    public static let cylinder = ShapeClass("cylinder", model: CylinderModel.self, isElongated: true) { d in
        let radius = d.logUniform(\.size)
        return CylinderModel(radius: radius, length: d.uniform(\.cylinderLengthRatio) * radius, sld: d.uniform(\.sld))
    }
}
