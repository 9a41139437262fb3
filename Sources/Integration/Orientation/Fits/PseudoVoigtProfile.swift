import Foundation

/// The periodic pseudo-Voigt profile on the azimuth: two area-normalised peaks, at χ0 and its head–tail partner
/// χ0 + 180°, on a linear background (docs/reference/orientation.md §1.3, lmfit's convention):
///
///     I(χ) = y0 + s·χ + A·[p(χ − χ0) + p(χ − χ0 − 180°)],
///     p(d) = (1 − η)·√(4 ln2/π)/Γ·e^{−4 ln2·d²/Γ²} + η·(2/(πΓ))/(1 + 4d²/Γ²),
///
/// d wrapped to [−180°, 180°), Γ the FWHM (deg), η the Lorentz fraction, A each peak's area (intensity × deg).
public struct PseudoVoigtProfile: Sendable, Equatable {
    public var area: Double
    public var chi0Deg: Double
    public var fwhmDeg: Double
    public var eta: Double
    public var background: Double
    public var slopePerDeg: Double

    /// From the parameters in ``OrientModel/parameterNames`` order.
    public init(_ p: [Double]) {
        (area, chi0Deg, fwhmDeg, eta, background, slopePerDeg) = (p[0], p[1], p[2], p[3], p[4], p[5])
    }

    /// The intensity at χ (deg).
    public func intensity(chiDeg: Double) -> Double {
        background + slopePerDeg * chiDeg + area * peaks(fromChi0Deg: chiDeg - chi0Deg)
    }

    /// The two peaks (unit area each) at an angle d (deg) from χ0.
    public func peaks(fromChi0Deg d: Double) -> Double {
        peak(Self.wrap(d)) + peak(Self.wrap(d - 180))
    }

    /// One area-normalised pseudo-Voigt at distance d (deg).
    func peak(_ d: Double) -> Double {
        let g = fwhmDeg, x = 4 * d * d / (g * g)
        let gauss = (4 * log(2.0) / .pi).squareRoot() / g * exp(-log(2.0) * x)
        let lorentz = 2 / (.pi * g) / (1 + x)
        return (1 - eta) * gauss + eta * lorentz
    }

    /// An angle (deg) wrapped to [−180, 180).
    static func wrap(_ d: Double) -> Double { d - 360 * ((d + 180) / 360).rounded(.down) }
}
