import Foundation

/// The azimuthal profile of a reflection from a Maier–Saupe orientation distribution f ∝ exp(κ cos²ψ) about a
/// director at χ0 in the detector plane (docs/reference/orientation.md §1.3, flat Ewald sphere):
///
///     meridional: I(χ) = y0 + s·χ + I0·F(u)/⟨F⟩,  u = χ − χ0,        F = exp(κ cos²u)
///     equatorial: I(χ) = y0 + s·χ + I0·F(u)/⟨F⟩,  u = χ − χ0 − 90°,  F = exp(½κ cos²u)·I₀(½κ cos²u)
///
/// (the equatorial form is the great-circle integral ∮_{v ⊥ q} f dℓ, u measured from the equator). ⟨F⟩ is F's
/// mean over the circle, so I0 is the mean oriented intensity and the shape stays finite and smooth in κ of
/// either sign: meridional ⟨F⟩ = e^{κ/2} I₀(κ/2) in closed form; equatorial by the midpoint rule over one period
/// of cos²u (256 points: spectrally accurate for a smooth periodic function, to 1e-15 up to |κ| ≈ 500).
public struct MaierSaupeProfile: Sendable, Equatable {
    public var amplitude: Double
    public var kappa: Double
    /// The director's azimuth, deg.
    public var chi0Deg: Double
    public var background: Double
    public var slopePerDeg: Double
    public var reflection: ReflectionType
    /// ⟨F⟩ in the scaled form used by ``shape(_:)``.
    private let mean: Double

    /// From the parameters in ``OrientModel/parameterNames`` order.
    public init(_ p: [Double], reflection: ReflectionType) {
        (amplitude, kappa, chi0Deg, background, slopePerDeg) = (p[0], p[1], p[2], p[3], p[4])
        self.reflection = reflection
        switch reflection {
        case .meridional: mean = ModifiedBessel.i0e(p[1] / 2)
        case .equatorial:
            let n = 256
            var sum = 0.0
            for k in 0..<n {
                let c = cos((Double(k) + 0.5) * .pi / Double(n))
                sum += Self.scaledEquatorial(kappa: p[1], cosineSquared: c * c)
            }
            mean = sum / Double(n)
        }
    }

    /// The intensity at χ (deg).
    public func intensity(chiDeg: Double) -> Double {
        background + slopePerDeg * chiDeg + amplitude * shape(chiDeg - chi0Deg)
    }

    /// F(u)/⟨F⟩ at an angle d (deg) from the director.
    public func shape(_ d: Double) -> Double {
        switch reflection {
        case .meridional:
            // exp(κ cos²u)/(e^{κ/2} I₀(κ/2)) = exp(½κ cos 2u − |½κ|)/i0e(½κ)
            return exp(kappa / 2 * cos(2 * d * .pi / 180) - abs(kappa / 2)) / mean
        case .equatorial:
            let c = cos((d - 90) * .pi / 180)
            return Self.scaledEquatorial(kappa: kappa, cosineSquared: c * c) / mean
        }
    }

    /// e^{a c²} I₀(a c²) · e^{−2 max(a, 0)}, a = κ/2: the factor keeps it ≤ 1 for any κ and cancels in F/⟨F⟩.
    static func scaledEquatorial(kappa: Double, cosineSquared c2: Double) -> Double {
        let a = kappa / 2, x = a * c2
        return exp(x + abs(x) - 2 * max(a, 0)) * ModifiedBessel.i0e(x)
    }
}
