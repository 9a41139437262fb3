import Foundation

/// The outlier score of every position from its features: per feature a robust z against all positions,
/// `z = (f − median) / s` with `s = max(1.4826·MAD, floor)` (1.4826·MAD is the standard deviation for normal data;
/// the floor keeps a feature that is constant for most positions from turning every small deviation into an
/// outlier), then `Z = max |z|` over the features (only the high side for one-sided features: saturation,
/// decorrelation, PCA error), and the score `Z² / (Z² + z₀²)` in [0, 1), 0.5 at `Z = z₀`.
///
/// Medians and MADs are taken over all positions at once (every rank holds every feature), so the score does not
/// depend on the number of ranks.
public struct RobustScore: Sendable {
    /// One scored feature: its name, whether only high values are bad, and its scale floor.
    public struct Feature: Sendable {
        public let name: String
        public let oneSided: Bool
        public let floor: Double
    }

    /// The features scored, in the order of `values` rows.
    public let features: [Feature]
    /// Per feature, its median and its scale `s`.
    public let medians: [Double]
    public let scales: [Double]
    /// `z₀`: the `Z` that scores 0.5.
    public let halfScoreZ: Double

    /// Medians and scales of `columns` (one array per feature, one value per position).
    public init(features: [Feature], columns: [[Double]], halfScoreZ: Double) {
        self.features = features
        self.halfScoreZ = halfScoreZ
        var medians: [Double] = [], scales: [Double] = []
        for (feature, column) in zip(features, columns) {
            let (median, mad) = DetectorResponse.medianAndMAD(column)
            medians.append(median)
            scales.append(max(1.4826 * mad, feature.floor))
        }
        self.medians = medians
        self.scales = scales
    }

    /// The robust z of value `v` of feature `f` (0 below the median for one-sided features).
    public func z(_ v: Double, feature f: Int) -> Double {
        let z = (v - medians[f]) / scales[f]
        return features[f].oneSided ? max(z, 0) : z
    }

    /// The score of a position with `values` (one per feature), and the feature with the largest |z| (the reason)
    /// with the sign of its z.
    public func score(_ values: [Double]) -> (score: Double, worst: Int, z: Double) {
        var worst = 0, largest = -1.0, signed = 0.0
        for (f, v) in values.enumerated() {
            let z = self.z(v, feature: f)
            if abs(z) > largest { (worst, largest, signed) = (f, abs(z), z) }
        }
        let z2 = largest * largest
        return (z2 / (z2 + halfScoreZ * halfScoreZ), worst, signed)
    }
}
