import Foundation

/// Form factors and intensities of homogeneous spheres.
///
/// Conventions follow sasmodels (`sphere.py`): I(q) = scale · Δρ² · V · Φ²(qR) · 10⁻⁴ + background in cm⁻¹,
/// with SLDs in 10⁻⁶ Å⁻², R in Å, q in Å⁻¹; the factor 10⁻⁴ turns (10⁻⁶ Å⁻²)² · Å³ into cm⁻¹.
public enum Sphere {
    /// The normalised sphere amplitude Φ(x) = 3(sin x − x cos x)/x³, with Φ(0) = 1.
    ///
    /// Below |x| = 0.1 the Taylor series 1 − x²/10 + x⁴/280 − x⁶/15120 avoids the cancellation of the closed form
    /// (sasmodels `lib/sas_3j1x_x.c`).
    @inlinable
    public static func amplitude(_ x: Double) -> Double {
        if abs(x) < 0.1 {
            let x2 = x * x
            return 1 - x2 / 10 * (1 - x2 / 28 * (1 - x2 / 54))
        }
        return 3 * (sin(x) - x * cos(x)) / (x * x * x)
    }

    /// Volume 4/3·πR³ in Å³.
    @inlinable
    public static func volume(radius: Double) -> Double { 4.0 / 3.0 * Double.pi * radius * radius * radius }

    /// dΣ/dΩ of monodisperse spheres in cm⁻¹ at each `q` (Å⁻¹), written into `intensity`.
    ///
    /// - Parameters:
    ///   - radius: sphere radius in Å.
    ///   - contrast: Δρ = ρ_sphere − ρ_solvent in 10⁻⁶ Å⁻².
    ///   - scale: volume fraction.
    ///   - background: flat background in cm⁻¹.
    public static func intensity(q: UnsafeBufferPointer<Double>, radius: Double, contrast: Double, scale: Double,
                                 background: Double, into intensity: UnsafeMutableBufferPointer<Double>) {
        precondition(q.count == intensity.count)
        let prefactor = scale * 1e-4 * contrast * contrast * volume(radius: radius)
        for i in 0..<q.count {
            let f = amplitude(q[i] * radius)
            intensity[i] = prefactor * f * f + background
        }
    }

    /// Convenience form of ``intensity(q:radius:contrast:scale:background:into:)`` returning an array.
    public static func intensity(q: [Double], radius: Double, contrast: Double, scale: Double = 1,
                                 background: Double = 0) -> [Double] {
        var out = [Double](repeating: 0, count: q.count)
        q.withUnsafeBufferPointer { qb in
            out.withUnsafeMutableBufferPointer {
                intensity(q: qb, radius: radius, contrast: contrast, scale: scale, background: background, into: $0)
            }
        }
        return out
    }

    /// Radius of gyration √(3/5)·R in Å.
    public static func radiusOfGyration(radius: Double) -> Double { (0.6).squareRoot() * radius }
}
