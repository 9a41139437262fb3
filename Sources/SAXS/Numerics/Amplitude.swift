import Foundation

/// The normalised amplitudes the form factors are built from, in double precision (single precision fails at the
/// large q·R of this generator, sasmodels #295).
public enum Amplitude {
    /// The sphere amplitude Φ(x) = 3(sin x − x cos x)/x³, with Φ(0) = 1.
    ///
    /// Below |x| = 0.1 the Taylor series 1 − x²/10 + x⁴/280 − x⁶/15120 avoids the cancellation of the closed form
    /// (sasmodels `lib/sas_3j1x_x.c`).
    @inlinable
    public static func sphere(_ x: Double) -> Double {
        if abs(x) < 0.1 {
            let x2 = x * x
            return 1 - x2 / 10 * (1 - x2 / 28 * (1 - x2 / 54))
        }
        let (s, c) = Trig.sinCos(x)
        return 3 * (s - x * c) / (x * x * x)
    }

    /// The disc (cylinder cross-section) amplitude 2·J₁(x)/x, with value 1 at x = 0 (sasmodels `lib/sas_2J1x_x.c`).
    @inlinable
    public static func disc(_ x: Double) -> Double {
        if abs(x) < 1e-4 { return 1 - x * x / 8 }
        return 2 * BesselJ1.value(x) / x
    }

    /// sinc(x) = sin(x)/x, with value 1 at x = 0 (the amplitude of a rod's length).
    @inlinable
    public static func sinc(_ x: Double) -> Double {
        if abs(x) < 1e-4 { return 1 - x * x / 6 }
        return Trig.sinCos(x).sin / x
    }
}
