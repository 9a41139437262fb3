/// Joins of a log onto image times: the last entry at or before a time (pandas' `merge_asof`, direction
/// "backward", SAXSDog's forward fill), and the time-weighted mean of the forward-filled values over an exposure.
public enum AsOfJoin {
    /// The index of the last of the rising `times` at or before `t`; nil before the first.
    public static func index(_ times: [Double], atOrBefore t: Double) -> Int? {
        var low = 0, high = times.count
        while low < high {
            let mid = (low + high) / 2
            if times[mid] <= t { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : low - 1
    }

    /// The forward-filled `values` (one per time) averaged over [a, b], weighted by how long each value held:
    /// (1/(b − a)) Σ vᵢ·|[tᵢ, tᵢ₊₁) ∩ [a, b]|, the last value holding on after the last time. NaN when the
    /// window starts before the first time; the value at `a` when b ≤ a.
    public static func timeWeightedMean(_ times: [Double], _ values: [Double], from a: Double, to b: Double) -> Double {
        guard let first = index(times, atOrBefore: a) else { return .nan }
        guard b > a else { return values[first] }
        var sum = 0.0
        var i = first
        while i < times.count {
            let from = max(times[i], a)
            let to = min(i + 1 < times.count ? times[i + 1] : .infinity, b)
            if to > from { sum += values[i] * (to - from) }
            if i + 1 >= times.count || times[i + 1] >= b { break }
            i += 1
        }
        return sum / (b - a)
    }
}
