/// Which positions are rejected from their scores: the `k` highest (`topk`), the highest fraction `p` (`topp`,
/// ⌈p·n⌉ positions) or those scoring above a threshold (`thresh`); ties go to the lower index. With a region, only
/// positions inside it can be rejected (the rule counts among them).
public enum RejectionRule: Sendable, Equatable {
    case topK(Int)
    case topFraction(Double)
    case threshold(Double)

    /// A region of stage coordinates (m): a rectangle (centre, width, height) or a circle (centre, radius).
    public enum Region: Sendable, Equatable {
        case rectangle(cx: Double, cy: Double, width: Double, height: Double)
        case circle(cx: Double, cy: Double, radius: Double)

        /// Whether (x, y) lies inside (edges included).
        public func contains(x: Double, y: Double) -> Bool {
            switch self {
            case let .rectangle(cx, cy, w, h): return abs(x - cx) <= w / 2 && abs(y - cy) <= h / 2
            case let .circle(cx, cy, r): return (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r
            }
        }
    }

    /// Per position, whether it is rejected.
    public func rejected(scores: [Double], candidates: [Bool]) -> [Bool] {
        let eligible = scores.indices.filter { candidates[$0] }
        var out = [Bool](repeating: false, count: scores.count)
        switch self {
        case .threshold(let t):
            for i in eligible where scores[i] > t { out[i] = true }
        case .topK(let k):
            for i in Self.ranked(scores, eligible).prefix(max(0, k)) { out[i] = true }
        case .topFraction(let p):
            let k = Int((p * Double(eligible.count)).rounded(.up))
            for i in Self.ranked(scores, eligible).prefix(max(0, k)) { out[i] = true }
        }
        return out
    }

    /// `indices` by score, highest first, ties by index.
    static func ranked(_ scores: [Double], _ indices: [Int]) -> [Int] {
        indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
    }
}
