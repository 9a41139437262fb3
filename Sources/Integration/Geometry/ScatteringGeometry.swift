import Foundation

/// Scattering angle and azimuth of any point of the detector, for either geometry model.
///
/// Positions are in pixel units from the top-left corner of the image as stored (row 0 is the first row of the
/// TIFF or HDF5 frame): the centre of pixel (i, j) is (i + 0.5, j + 0.5).
public struct ScatteringGeometry: Sendable {
    public let model: DetectorGeometry
    // Fit2D/SAXSDog terms.
    private let sinTilt: Double
    private let tiltRotation: Double
    // PONI rotation terms.
    private let c1, s1, c2, s2, c3, s3: Double

    public init(_ model: DetectorGeometry) {
        self.model = model
        switch model {
        case .fit2d(let g):
            sinTilt = sin(g.tiltDeg * .pi / 180)
            tiltRotation = g.tiltRotationDeg * .pi / 180
            (c1, s1, c2, s2, c3, s3) = (1, 0, 1, 0, 1, 0)
        case .poni(let g):
            sinTilt = 0
            tiltRotation = 0
            (c1, s1, c2, s2, c3, s3) = (cos(g.rot1), sin(g.rot1), cos(g.rot2), sin(g.rot2), cos(g.rot3), sin(g.rot3))
        }
    }

    /// The direct beam's position on the detector (row from the top, column), in pixels.
    public var beamCenterPixels: (row: Double, column: Double) {
        switch model {
        case .fit2d(let g):
            return (Double(g.rows) - g.beamCenterY, g.beamCenterX)
        case .poni(let g):
            // Fit2D's centre from the PONI (pyFAI fit2d.py, inverse): tan τ cos ρ = −tan rot1 and
            // tan τ sin ρ = tan rot2 / cos rot1.
            return ((g.poni1 + g.distance * tan(g.rot2) / cos(g.rot1)) / g.pixel1,
                    (g.poni2 - g.distance * tan(g.rot1)) / g.pixel2)
        }
    }

    /// The full scattering angle 2θ (rad), the azimuth (rad) and the distance from the beam centre (pixels) of
    /// the point at (`row`, `column`).
    ///
    /// - SAXSDog (docs/reference/integration.md §3): y = row − H + BC[0] and x = column − BC[1] in pixels, r = |x + iy|·pixel,
    ///   φ = arg(x + iy); α = asin(sin τ · sin(φ + ρ + π/2)), l² = d² + r² − 2dr·cos(π/2 + α),
    ///   2θ = acos((l² + d² − r²)/(2ld)).
    /// - PONI (pyFAI `_geometry.pyx`): (t1, t2, t3) is the pixel's position relative to the PONI rotated by
    ///   rot1, rot2, rot3; 2θ = atan2(√(t1² + t2²), t3) and χ = atan2(t1, t2).
    @inline(__always)
    public func angles(row: Double, column: Double) -> (twoTheta: Double, azimuth: Double, radiusPixels: Double) {
        switch model {
        case .fit2d(let g):
            let y = row - Double(g.rows) + g.beamCenterY
            let x = column - g.beamCenterX
            let rPixels = (x * x + y * y).squareRoot()
            let r = rPixels * g.pixelMM
            let phi = atan2(y, x)
            let d = g.distanceMM
            let alpha = asin(sinTilt * sin(phi + tiltRotation + .pi / 2))
            let l2 = d * d + r * r - 2 * d * r * cos(.pi / 2 + alpha)
            let cosine = (l2 + d * d - r * r) / (2 * l2.squareRoot() * d)
            return (acos(min(1, max(-1, cosine))), phi, rPixels)
        case .poni(let g):
            let p1 = row * g.pixel1 - g.poni1
            let p2 = column * g.pixel2 - g.poni2
            let L = g.distance
            let t1 = p1 * c2 * c3 + p2 * (c3 * s1 * s2 - c1 * s3) - L * (c1 * c3 * s2 + s1 * s3)
            let t2 = p1 * c2 * s3 + p2 * (c1 * c3 + s1 * s2 * s3) - L * (-(c3 * s1) + c1 * s2 * s3)
            let t3 = p1 * s2 - p2 * c2 * s1 + L * c1 * c2
            let center = beamCenterPixels
            let dr = row - center.row, dc = column - center.column
            return (atan2((t1 * t1 + t2 * t2).squareRoot(), t3), atan2(t1, t2), (dr * dr + dc * dc).squareRoot())
        }
    }

    /// SAXSDog's polarization factor (docs/reference/integration.md §6): with ρ' = angle − π/2 and P the polarized fraction,
    /// pol = P·(1 − (sin(φ − ρ')·sin 2θ)²) + (1 − P)·(1 − (cos(φ − ρ')·sin 2θ)²). Intensities are divided by it.
    public static func polarizationFactor(twoTheta: Double, azimuth: Double, _ p: Polarization) -> Double {
        let rho = p.angleDeg * .pi / 180 - .pi / 2
        let s = sin(twoTheta)
        let a = sin(azimuth - rho) * s, b = cos(azimuth - rho) * s
        return p.fraction * (1 - a * a) + (1 - p.fraction) * (1 - b * b)
    }
}
