import Foundation

/// Every position's QC features, score and verdict.
public struct QCTable: Sendable {
    /// The per-position features, in the order of ``values`` rows (`x` is the pattern's column axis, `y` its row
    /// axis; mrad = atan(px · pixel / distance) · 1000).
    public static let columns = [
        "total", "log_total", "max", "saturated", "com_x_px", "com_y_px", "com_x_mrad", "com_y_mrad",
        "radial_mean_px", "radial_rms_px", "contrast", "correlation", "pca_error",
    ]

    /// The scored features, each a function of a row of ``values``: name, one-sided, floor of the scale.
    static let scored: [(feature: RobustScore.Feature, value: @Sendable ([Double]) -> Double)] = [
        (.init(name: "log_total", oneSided: false, floor: 0.01), { $0[1] }),
        (.init(name: "log1p_saturated", oneSided: true, floor: 1), { log1p($0[3]) }),
        (.init(name: "com_x_px", oneSided: false, floor: 0.1), { $0[4] }),
        (.init(name: "com_y_px", oneSided: false, floor: 0.1), { $0[5] }),
        (.init(name: "radial_mean_px", oneSided: false, floor: 0.1), { $0[8] }),
        (.init(name: "radial_rms_px", oneSided: false, floor: 0.1), { $0[9] }),
        (.init(name: "contrast", oneSided: false, floor: 0.01), { $0[10] }),
        (.init(name: "decorrelation", oneSided: true, floor: 0.001), { 1 - $0[11] }),
        (.init(name: "pca_error", oneSided: true, floor: 0.001), { $0[12] }),
    ]

    /// Per position, the ``columns``.
    public let values: [[Double]]
    public let scores: [Double]
    public let rejected: [Bool]
    /// Per position, the feature with the largest robust z, with its side and z (`log_total low (z = -35.2)`).
    public let reasons: [String]
    public let score: RobustScore

    /// Scores `values` and applies `rule` among the positions inside `region` (all when nil).
    init(values: [[Double]], x: [Double], y: [Double], settings: PtychoQCSettings) {
        self.values = values
        let scored = Self.scored
        let rows = values.map { row in scored.map { $0.value(row) } }
        let robust = RobustScore(features: scored.map(\.feature),
                                 columns: scored.indices.map { f in rows.map { $0[f] } }, halfScoreZ: settings.halfScoreZ)
        score = robust
        let results = rows.map { robust.score($0) }
        scores = results.map(\.score)
        reasons = results.map { r in
            let name = scored[r.worst].feature.name
            return "\(name) \(r.z >= 0 ? "high" : "low") (z = \(String(format: "%.1f", r.z)))"
        }
        let candidates = zip(x, y).map { settings.region?.contains(x: $0, y: $1) ?? true }
        rejected = settings.rule.rejected(scores: scores, candidates: candidates)
    }
}
