import Foundation

/// How an axis maps data to position.
public enum ScaleKind: String, Sendable {
    case linear
    /// Logarithmic: only positive values are drawn.
    case log
}

/// An axis' data range and its mapping to a fraction of the axis' length.
public struct Scale: Sendable, Equatable {
    public var kind: ScaleKind
    public var lower: Double, upper: Double

    public init(_ kind: ScaleKind, _ lower: Double, _ upper: Double) {
        (self.kind, self.lower, self.upper) = (kind, lower, upper)
    }

    /// Whether `value` can be placed on this scale (finite; positive on a log scale).
    @inlinable
    public func accepts(_ value: Double) -> Bool { value.isFinite && (kind == .linear || value > 0) }

    /// The position of `value` as a fraction of the axis: 0 at `lower`, 1 at `upper` (outside for values beyond).
    @inlinable
    public func fraction(_ value: Double) -> Double {
        switch kind {
        case .linear: return (value - lower) / (upper - lower)
        case .log: return (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        }
    }

    /// The value at fraction `f` of the axis (the inverse of ``fraction(_:)``).
    public func value(at f: Double) -> Double {
        switch kind {
        case .linear: return lower + f * (upper - lower)
        case .log: return pow(10, log10(lower) + f * (log10(upper) - log10(lower)))
        }
    }

    /// A scale covering `values` (non-finite values, and non-positive ones on a log scale, are ignored) with a
    /// margin of `padding` of the span on each side (in decades on a log scale). A single value or none gets a
    /// range around it, so that every scale has lower < upper.
    public static func fitting<S: Sequence<Double>>(_ values: S, kind: ScaleKind, padding: Double = 0.04) -> Scale {
        var low = Double.infinity, high = -Double.infinity
        for v in values where v.isFinite && (kind == .linear || v > 0) {
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
        }
    }

    /// This scale widened to include `value` (placeable values only).
    public func including(_ value: Double) -> Scale {
        guard accepts(value) else { return self }
        return Scale(kind, Swift.min(lower, value), Swift.max(upper, value))
    }
}
