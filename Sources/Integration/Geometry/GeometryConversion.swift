import Foundation

/// SAXSDog's Fit2D geometry and pyFAI's PONI, one from the other (silx-kit/pyFAI `geometry/fit2d.py`,
/// docs/reference/integration.md §4), written here as plain formulas so that `convert` needs no Python.
///
/// pyFAI's formulas hold for Fit2D parameters of the image as pyFAI indexes it (row 0 first); SAXSDog counts rows
/// from the bottom, so the image is flipped between the two: centre row H − BeamCenter[0] and tilt-plane rotation
/// −TiltRotDeg (a mirror in y reverses angles), the tilt itself unchanged.
extension PONIGeometry {
    /// The PONI of a SAXSDog geometry (pyFAI `convert_from_Fit2d` on the flipped centre and rotation), pixels
    /// square.
    public init(fit2d g: Fit2DGeometry) {
        let tilt = g.tiltDeg * .pi / 180, rotation = -g.tiltRotationDeg * .pi / 180
        let (cosT, sinT, cosR, sinR) = (cos(tilt), sin(tilt), cos(rotation), sin(rotation))
        let pixel = g.pixelMM * 1e-3, direct = g.distanceMM * 1e-3
        let centerY = Double(g.rows) - g.beamCenterY, centerX = g.beamCenterX
        // dist = D cos τ, poni1 = cY·p − D sin τ sin ρ, poni2 = cX·p − D sin τ cos ρ, rot2 = asin(sin τ sin ρ),
        // rot1 = ∓acos(cos τ / √(1 − sin²ρ sin²τ)) (negative when cos ρ sin τ > 0),
        // rot3 = π/2 − acos((cos τ cos ρ sin ρ − cos ρ sin ρ) / √(1 − sin²ρ sin²τ)), 0 without tilt.
        let root = (1 - sinR * sinR * sinT * sinT).squareRoot()
        var rot1 = acos(min(1, max(-1, cosT / root)))
        if cosR * sinT > 0 { rot1 = -rot1 }
        let rot3 = g.tiltDeg == 0 ? 0 : .pi / 2 - acos(min(1, max(-1, (cosT * cosR * sinR - cosR * sinR) / root)))
        self.init(rows: g.rows, columns: g.columns, distance: direct * cosT,
                  poni1: centerY * pixel - direct * sinT * sinR, poni2: centerX * pixel - direct * sinT * cosR,
                  rot1: rot1, rot2: asin(sinT * sinR), rot3: rot3, pixel1: pixel, pixel2: pixel)
    }

    /// The rot3 that a Fit2D geometry implies for this PONI's rot1 and rot2: Fit2D has five parameters to the
    /// PONI's six, so a PONI whose rot3 differs cannot be expressed in SAXSDog's calibration.
    public var fit2dRot3: Double { PONIGeometry(fit2d: Fit2DGeometry(poni: self)).rot3 }
}

extension Fit2DGeometry {
    /// SAXSDog's geometry of a PONI (pyFAI `convert_to_Fit2d`, then flipped); rot3 is not representable and is
    /// left out (see ``PONIGeometry/fit2dRot3``); the pixel size is `pixel1`'s.
    public init(poni p: PONIGeometry) {
        // cos τ = cos rot1 cos rot2; cos ρ = −cos rot2 sin rot1 / sin τ, sin ρ = sin rot2 / sin τ;
        // D = dist / cos τ; cX = (poni2 + dist tan τ cos ρ)/pixel2, cY = (poni1 + dist tan τ sin ρ)/pixel1.
        let cosT = cos(p.rot1) * cos(p.rot2)
        let sinT = (1 - cosT * cosT).squareRoot()
        let (cosR, sinR) = sinT == 0 ? (1.0, 0.0)
            : (min(1, max(-1, -cos(p.rot2) * sin(p.rot1) / sinT)), sin(p.rot2) / sinT)
        let tanT = sinT / cosT
        let rotation = (sinR < 0 ? -1.0 : 1.0) * acos(cosR) * 180 / .pi
        let centerY = (p.poni1 + p.distance * tanT * sinR) / p.pixel1
        self.init(rows: p.rows, columns: p.columns, beamCenterY: Double(p.rows) - centerY,
                  beamCenterX: (p.poni2 + p.distance * tanT * cosR) / p.pixel2, distanceMM: 1e3 * p.distance / cosT,
                  pixelMM: p.pixel1 * 1e3, tiltDeg: acos(min(1, cosT)) * 180 / .pi, tiltRotationDeg: -rotation)
    }
}
