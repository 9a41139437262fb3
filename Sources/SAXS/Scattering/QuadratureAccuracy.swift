/// How finely the orientation and size integrals are sampled. Both rules adapt to the phase the integrand sweeps, so
/// the error stays below 10⁻⁶ (default) from q·R ≈ 0 to q·R ≈ 900; sasmodels' fixed rules alias there (docs/reference/saxs-physics.md
/// §3, §4).
public struct QuadratureAccuracy: Sendable, Equatable {
    /// Use sasmodels' own orientation rules instead (20/76/500/5000 points in α, chosen per particle), to
    /// reproduce its values including where they are not converged.
    public var sasmodelsOrientation = false
    /// Evaluate every size and orientation node directly, without the tabulated fast paths (for checking them).
    public var directOnly = false
    /// Steps of the fast paths' tables in units of 1/D (D the particle's largest dimension): the length-scale
    /// master curve (orientation-averaged, smooth) and the cylinders' G functions (which keep the fringes of 2J₁).
    public var tabulationStep = 0.15
    public var cylinderTabulationStep = 0.07
    /// Orientation points: at least `orientationBase + orientationSlope · q · D_max`.
    public var orientationBase: Double
    public var orientationSlope: Double
    /// Size-distribution points: at least `sizeBase + sizeSlope · 2q · (window width)`, the phase F² sweeps
    /// across the ±3σ window.
    public var sizeBase: Double
    public var sizeSlope: Double

    public init(orientationBase: Double, orientationSlope: Double, sizeBase: Double, sizeSlope: Double) {
        self.orientationBase = orientationBase
        self.orientationSlope = orientationSlope
        self.sizeBase = sizeBase
        self.sizeSlope = sizeSlope
    }

    /// The production rule (≤ 1e-6 relative against 8192-point references in the tests).
    public static let standard = QuadratureAccuracy(orientationBase: 20, orientationSlope: 1.0, sizeBase: 16,
                                                    sizeSlope: 0.4)
    /// The orientation rule for q·D_max = `qD` (D_max the largest dimension).
    public func orientationRule(qD: Double) -> OrientationRule {
        OrientationRule.legendre(GaussLegendre.atLeast(Int((orientationBase + orientationSlope * qD).rounded(.up))))
    }

    /// Size-distribution points for a window across which F² sweeps `phase` radians (2q × window width).
    public func sizePoints(phase: Double) -> Int {
        GaussLegendre.atLeast(Int((sizeBase + sizeSlope * phase).rounded(.up))).count
    }

    /// sasmodels 1.1.0's orientation rules, for reproducing its numbers.
    public static let sasmodels: QuadratureAccuracy = {
        var accuracy = QuadratureAccuracy.standard
        accuracy.sasmodelsOrientation = true
        return accuracy
    }()
    /// A slow, converged reference for tests and benchmarks: 2.5× the standard orientation and size points,
    /// direct sums.
    public static let reference: QuadratureAccuracy = {
        var accuracy = QuadratureAccuracy(orientationBase: 50, orientationSlope: 2.5, sizeBase: 40, sizeSlope: 1.0)
        accuracy.directOnly = true
        return accuracy
    }()
}
