import Foundation

/// One parameter of a least-squares fit: its start value and optional bounds.
///
/// MINPACK has no bounds, so a bounded parameter is fitted through a smooth change of variable, the one lmfit uses
/// (after MINUIT): both bounds x = lo + (sin u + 1)(hi − lo)/2; a lower bound only x = lo − 1 + √(u² + 1); an upper
/// bound only x = hi + 1 − √(u² + 1). The minimiser works on u; the covariance is computed afterwards from the
/// Jacobian in x itself at the solution (``LeastSquares/minimize(_:count:options:residuals:)``), so σ needs no
/// propagation through the transform and does not vanish when x sits at a bound.
public struct FitParameter: Sendable, Equatable {
    /// A name for messages and tables.
    public var name: String
    /// The start value (moved inside the bounds when outside them).
    public var value: Double
    public var lower: Double
    public var upper: Double

    /// - Parameters:
    ///   - name: for messages.
    ///   - value: the start value.
    ///   - lower: the lower bound, −∞ for none.
    ///   - upper: the upper bound, +∞ for none.
    public init(_ name: String, _ value: Double, lower: Double = -.infinity, upper: Double = .infinity) {
        self.name = name
        self.value = value
        self.lower = lower
        self.upper = upper
    }

    /// The internal (unbounded) variable u of an external value x.
    func toInternal(_ x: Double) -> Double {
        switch (lower.isFinite, upper.isFinite) {
        case (true, true):
            let t = 2 * (min(max(x, lower), upper) - lower) / (upper - lower) - 1
            return asin(min(max(t, -1), 1))
        case (true, false): let d = max(x, lower) - lower + 1; return (d * d - 1).squareRoot()
        case (false, true): let d = upper - min(x, upper) + 1; return (d * d - 1).squareRoot()
        case (false, false): return x
        }
    }

    /// The external value x of an internal variable u.
    func toExternal(_ u: Double) -> Double {
        switch (lower.isFinite, upper.isFinite) {
        case (true, true): return lower + (sin(u) + 1) * (upper - lower) / 2
        case (true, false): return lower - 1 + (u * u + 1).squareRoot()
        case (false, true): return upper + 1 - (u * u + 1).squareRoot()
        case (false, false): return u
        }
    }
}
