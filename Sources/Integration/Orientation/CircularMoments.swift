import Foundation

/// The second circular moment of an azimuthal profile, the deterministic start of the orientation fits
/// (docs/reference/orientation.md §1.5): with w = I − min I over the bins that hold data (the isotropic floor
/// taken out), m = Σ w·e^{2iχ} / Σ w; χ0 = ½·arg m (the axis of the peaks, head–tail symmetric) and the
/// anisotropy |m| ∈ [0, 1] (0 isotropic, 1 all weight on one axis).
public struct CircularMoments: Sendable, Equatable {
    /// Degrees, in (−90, 90].
    public var chi0Deg: Double
    public var anisotropy: Double
    /// The mean of the bins that hold data.
    public var meanIntensity: Double

    /// - Parameters:
    ///   - chiDeg: bin centres, degrees.
    ///   - intensity: per bin; NaN for bins without pixels (left out).
    public init(chiDeg: [Double], intensity: [Double]) {
        let finite = zip(chiDeg, intensity).filter { $0.1.isFinite }
        guard let floor = finite.map(\.1).min() else {
            (chi0Deg, anisotropy, meanIntensity) = (.nan, .nan, .nan)
            return
        }
        var c = 0.0, s = 0.0, total = 0.0
        for (chi, value) in finite {
            let w = value - floor, angle = 2 * chi * .pi / 180
            c += w * cos(angle)
            s += w * sin(angle)
            total += w
        }
        meanIntensity = finite.reduce(0) { $0 + $1.1 } / Double(finite.count)
        guard total > 0 else {
            (chi0Deg, anisotropy) = (.nan, 0)
            return
        }
        chi0Deg = atan2(s, c) / 2 * 180 / .pi
        anisotropy = (c * c + s * s).squareRoot() / total
    }
}
