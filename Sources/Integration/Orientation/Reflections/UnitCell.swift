import Core
import Foundation

/// A crystal's unit cell (a, b, c in Å; α, β, γ in degrees) and the scattering vector of its reflections.
///
/// d_hkl from the general (triclinic) metric: with the metric tensor
/// G = [[a², ab cos γ, ac cos β], [ab cos γ, b², bc cos α], [ac cos β, bc cos α, c²]],
/// 1/d² = hᵀ G⁻¹ h for h = (h, k, l) (International Tables for Crystallography B, §1.1.3); q = 2π/d.
public struct UnitCell: Sendable, Equatable {
    public let a: Double, b: Double, c: Double
    public let alphaDeg: Double, betaDeg: Double, gammaDeg: Double
    /// G⁻¹, the reciprocal metric, row-major.
    let reciprocal: [Double]

    /// A cell from `[a, b, c, α, β, γ]`.
    /// - Throws: ``ConfigError`` on `key` when a length is not positive, an angle not in (0, 180) or the angles
    ///   make no cell (det G ≤ 0).
    public init(_ values: [Double], key: String) throws(ConfigError) {
        guard values.count == 6 else {
            throw ConfigError(key: key, "give six numbers a,b,c,alpha,beta,gamma (angstrom, degrees); got \(values.count)")
        }
        for (k, name) in ["a", "b", "c"].enumerated() {
            try ConfigError.bound(values[k], key: "\(key).\(name)", 0, 1e4, lowerOpen: true, unit: "angstrom")
        }
        for (k, name) in ["alpha", "beta", "gamma"].enumerated() where !(values[3 + k] > 0 && values[3 + k] < 180) {
            throw ConfigError(key: "\(key).\(name)", "must lie in (0, 180) deg (got \(ConfigError.number(values[3 + k])))")
        }
        (a, b, c, alphaDeg, betaDeg, gammaDeg) = (values[0], values[1], values[2], values[3], values[4], values[5])
        let (ca, cb, cg) = (cos(alphaDeg * .pi / 180), cos(betaDeg * .pi / 180), cos(gammaDeg * .pi / 180))
        let g = [a * a, a * b * cg, a * c * cb,
                 a * b * cg, b * b, b * c * ca,
                 a * c * cb, b * c * ca, c * c]
        // det G = a²b²c²(1 − cos²α − cos²β − cos²γ + 2 cos α cos β cos γ)
        let volumeFactor = 1 - ca * ca - cb * cb - cg * cg + 2 * ca * cb * cg
        guard volumeFactor > 1e-12 else {
            throw ConfigError(key: key, "the angles \(ConfigError.number(alphaDeg)), \(ConfigError.number(betaDeg)), "
                              + "\(ConfigError.number(gammaDeg)) deg make no cell (zero or negative volume)")
        }
        reciprocal = Self.inverse3(g)
    }

    /// The spacing d_hkl in Å.
    public func dSpacing(_ hkl: [Int]) -> Double {
        let h = hkl.map(Double.init)
        var s = 0.0
        for i in 0..<3 { for j in 0..<3 { s += h[i] * reciprocal[3 * i + j] * h[j] } }
        return 1 / s.squareRoot()
    }

    /// |q| = 2π/d_hkl in Å⁻¹.
    public func q(_ hkl: [Int]) -> Double { 2 * .pi / dSpacing(hkl) }

    /// The inverse of a 3 × 3 matrix (row-major) by its adjugate.
    static func inverse3(_ m: [Double]) -> [Double] {
        let c00 = m[4] * m[8] - m[5] * m[7], c01 = m[5] * m[6] - m[3] * m[8], c02 = m[3] * m[7] - m[4] * m[6]
        let det = m[0] * c00 + m[1] * c01 + m[2] * c02
        return [c00 / det, (m[2] * m[7] - m[1] * m[8]) / det, (m[1] * m[5] - m[2] * m[4]) / det,
                c01 / det, (m[0] * m[8] - m[2] * m[6]) / det, (m[2] * m[3] - m[0] * m[5]) / det,
                c02 / det, (m[1] * m[6] - m[0] * m[7]) / det, (m[0] * m[4] - m[1] * m[3]) / det]
    }
}
