/// The points of a curve that SAXSDog's plotchi draws, and curves put onto another's x (its `-c` comparison).
extension ChiCurve {
    /// The curve without its first `skip` and last `clip` points: plotchi's `[s:-k]`, except that `clip` 0 keeps
    /// the end (in Python `[s:-0]` is empty).
    public func trimmed(skip: Int, clip: Int) -> ChiCurve {
        let start = min(max(0, skip), x.count)
        let end = max(start, x.count - max(0, clip))
        return ChiCurve(x: Array(x[start..<end]), intensity: Array(intensity[start..<end]),
                        error: error.map { Array($0[start..<end]) })
    }

    /// Whether x never decreases (interpolation needs it).
    public var isSorted: Bool { zip(x, x.dropFirst()).allSatisfy { $0 <= $1 } }

    /// The intensity linearly interpolated at each of `points`; NaN outside [x.first, x.last] and where x is NaN.
    /// numpy's `interp(points, x, intensity, left=nan, right=nan)`; x must be sorted (``isSorted``).
    public func intensity(at points: [Double]) -> [Double] {
        points.map { p in
            guard let first = x.first, let last = x.last, p >= first, p <= last else { return .nan }
            // The first index whose x exceeds p (binary search), then the segment before it.
            var low = 0, high = x.count
            while low < high {
                let mid = (low + high) / 2
                if x[mid] <= p { low = mid + 1 } else { high = mid }
            }
            let right = min(low, x.count - 1), left = max(0, right - 1)
            if p >= x[right] { return intensity[right] }
            let span = x[right] - x[left]
            guard span > 0 else { return intensity[left] }
            // y = y₀ + (p − x₀)·(y₁ − y₀)/(x₁ − x₀)
            return intensity[left] + (p - x[left]) * (intensity[right] - intensity[left]) / span
        }
    }
}
