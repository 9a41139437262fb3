import Foundation

/// Per-pixel q-space maps of one geometry relative to a director **b** in the detector plane (stored once per run
/// as `/orient/geometry/*`).
///
/// The scattering vector of a pixel centre (i + 0.5, j + 0.5) is q = k(k̂_f − k̂_i), k = 2π/λ; in pyFAI's lab frame
/// (x along +columns, y along +rows, z along the beam) q = k(sin 2θ cos χ, sin 2θ sin χ, cos 2θ − 1), with 2θ and
/// χ = atan2(t1, t2) from ``ScatteringGeometry``. The director b = (cos δ, sin δ, 0) makes the angle δ with +columns,
/// measured like χ (δ = 0: horizontal, the default; 90°: along +rows). Then
/// - q∥ = q·b (signed),
/// - q⊥ = sign(q·b⊥)·√((q·b⊥)² + q_z²) = ±√(|q|² − q∥²), b⊥ = (sin δ, −cos δ, 0) (includes the beam component),
/// - ψ = arccos(q∥/|q|), the angle between q and the director.
/// With δ = 90° these are pyFAI's fibre units for sample_orientation 1 without incident or tilt angle:
/// q∥ = `qoop`, q⊥ = `qip` = sign(q_horz)·√(q_beam² + q_horz²).
public struct QSpaceMaps: Sendable {
    public let rows: Int, columns: Int
    /// |q|, q∥, q⊥ in Å⁻¹; χ and ψ in degrees; row-major rows × columns.
    public let q: [Double], qParallel: [Double], qPerpendicular: [Double], chiDeg: [Double], psiDeg: [Double]
    /// q's components along +columns and +rows (pyFAI's qxgi and qygi), Å⁻¹.
    public let qHorizontal: [Double], qVertical: [Double]
    /// q's component along the beam, k(cos 2θ − 1), Å⁻¹.
    public let qBeam: [Double]

    /// The maps of `geometry` relative to the director at `directorDeg`.
    public init(geometry: OrientGeometry, directorDeg: Double) {
        let scattering = ScatteringGeometry(.poni(geometry.poni))
        (rows, columns) = (geometry.poni.rows, geometry.poni.columns)
        let k = 2 * Double.pi / geometry.wavelength
        let delta = directorDeg * .pi / 180
        let (bx, by) = (cos(delta), sin(delta))
        let n = rows * columns
        var q = [Double](repeating: 0, count: n), par = q, perp = q, chi = q, psi = q, horizontal = q, vertical = q, beam = q
        for i in 0..<rows {
            for j in 0..<columns {
                let a = scattering.angles(row: Double(i) + 0.5, column: Double(j) + 0.5)
                let s = sin(a.twoTheta)
                // cos 2θ − 1 = −2 sin²θ, without the cancellation at small angles.
                let half = sin(a.twoTheta / 2)
                let (qx, qy, qz) = (k * s * cos(a.azimuth), k * s * sin(a.azimuth), -2 * k * half * half)
                let p = i * columns + j
                let modulus = (qx * qx + qy * qy + qz * qz).squareRoot()
                let along = qx * bx + qy * by
                let side = qx * by - qy * bx
                let across = (side * side + qz * qz).squareRoot()
                q[p] = modulus
                (horizontal[p], vertical[p], beam[p]) = (qx, qy, qz)
                par[p] = along
                perp[p] = side < 0 ? -across : across
                chi[p] = a.azimuth * 180 / .pi
                psi[p] = modulus > 0 ? acos(min(1, max(-1, along / modulus))) * 180 / .pi : 90
            }
        }
        (self.q, qParallel, qPerpendicular, chiDeg, psiDeg) = (q, par, perp, chi, psi)
        (qHorizontal, qVertical, qBeam) = (horizontal, vertical, beam)
    }
}
