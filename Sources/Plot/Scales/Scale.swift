import Foundation

/// How an axis maps data to position.
public enum ScaleKind: String, Sendable {
    case linear
    /// Logarithmic: only positive values are drawn.
    case log
    /// Symmetric logarithmic (matplotlib's `symlog` with its defaults, base 10, linthresh 2, linscale 1): linear
    /// within ±``Scale/symlogThreshold``, logarithmic beyond, on both signs; every finite value is drawn.
    case symlog
}

/// An axis' data range and its mapping to a fraction of the axis' length.
public struct Scale: Sendable, Equatable {
    public var kind: ScaleKind
    public var lower: Double, upper: Double
    /// The half-width of the linear part of a ``ScaleKind/symlog`` axis (matplotlib's default `linthresh`).
    public static let symlogThreshold = 2.0

    /// matplotlib's SymmetricalLogTransform (base 10, linscale 1): `a·s` for |a| ≤ t, else
    /// `sign(a)·t·(s + log10(|a|/t))`, with s = linscale / (1 − 1/base) (matplotlib/scale.py).
    @inlinable
    public static func symlog(_ a: Double) -> Double {
        let t = symlogThreshold, s = 1 / (1 - 1 / 10.0)
        return abs(a) <= t ? a * s : (a < 0 ? -1 : 1) * t * (s + log10(abs(a) / t))
    }

    /// The inverse of ``symlog(_:)``.
    public static func inverseSymlog(_ u: Double) -> Double {
        let t = symlogThreshold, s = 1 / (1 - 1 / 10.0)
        return abs(u) <= t * s ? u / s : (u < 0 ? -1 : 1) * t * pow(10, abs(u) / t - s)
    }

    public init(_ kind: ScaleKind, _ lower: Double, _ upper: Double) {
        (self.kind, self.lower, self.upper) = (kind, lower, upper)
    }

    /// Whether `value` can be placed on this scale (finite; positive on a log scale).
    @inlinable
    public func accepts(_ value: Double) -> Bool { value.isFinite && (kind != .log || value > 0) }

    /// The position of `value` as a fraction of the axis: 0 at `lower`, 1 at `upper` (outside for values beyond).
    @inlinable
    public func fraction(_ value: Double) -> Double {
        switch kind {
        case .linear: return (value - lower) / (upper - lower)
        case .log: return (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        case .symlog: return (Scale.symlog(value) - Scale.symlog(lower)) / (Scale.symlog(upper) - Scale.symlog(lower))
        }
    }

    /// The value at fraction `f` of the axis (the inverse of ``fraction(_:)``).
    public func value(at f: Double) -> Double {
        switch kind {
        case .linear: return lower + f * (upper - lower)
        case .log: return pow(10, log10(lower) + f * (log10(upper) - log10(lower)))
        case .symlog:
            let (a, b) = (Scale.symlog(lower), Scale.symlog(upper))
            return Scale.inverseSymlog(a + f * (b - a))
        }
    }

    /// A scale covering `values` (non-finite values, and non-positive ones on a log scale, are ignored) with a
    /// margin of `padding` of the span on each side (in decades on a log scale). A single value or none gets a
    /// range around it, so that every scale has lower < upper.
    public static func fitting<S: Sequence<Double>>(_ values: S, kind: ScaleKind, padding: Double = 0.04) -> Scale {
        var low = Double.infinity, high = -Double.infinity
        for v in values where v.isFinite && (kind != .log || v > 0) {
            low = Swift.min(low, v)
            high = Swift.max(high, v)
        }
        switch kind {
        case .linear:
            guard low <= high else { return Scale(.linear, 0, 1) }
            if low == high {
                let half = low == 0 ? 1 : abs(low) * 0.1
                return Scale(.linear, low - half, high + half)
            }
            let pad = (high - low) * padding
            return Scale(.linear, low - pad, high + pad)
        case .log:
            guard low <= high else { return Scale(.log, 1, 10) }
            var (a, b) = (log10(low), log10(high))
            if b - a < 1e-9 { (a, b) = (a - 0.5, b + 0.5) }
            let pad = (b - a) * padding
            return Scale(.log, pow(10, a - pad), pow(10, b + pad))
        case .symlog:
            guard low <= high else { return Scale(.symlog, -1, 1) }
            var (a, b) = (Scale.symlog(low), Scale.symlog(high))
            if b - a < 1e-9 { (a, b) = (a - 1, b + 1) }
            let pad = (b - a) * padding
            return Scale(.symlog, Scale.inverseSymlog(a - pad), Scale.inverseSymlog(b + pad))
        }
    }

    /// This scale widened to include `value` (placeable values only).
    public func including(_ value: Double) -> Scale {
        guard accepts(value) else { return self }
        return Scale(kind, Swift.min(lower, value), Swift.max(upper, value))
    }
}
