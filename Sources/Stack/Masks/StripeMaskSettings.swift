import Core

/// The parameters of Larix's STRIPES_DETECT and STRIPES_MERGE (docs/reference/tomography.md §8); the defaults are
/// NoStripesNet's (`simulator/generate_mask.py`).
public struct StripeMaskSettings: Sendable, Equatable, Codable {
    /// Half-length of the median window along angles (STRIPES_DETECT `size`).
    public var size = 250
    /// Radius of the gradient-ratio neighbourhoods (STRIPES_DETECT `radius`).
    public var radius = 3
    /// Weights at or below it are stripe candidates.
    public var threshold: Float = 0.63
    public var minLength = 600
    public var minDepth = 30
    public var minWidth = 22
    /// Percent of `minLength` (and `minDepth`) a candidate must fill.
    public var sensitivity: Float = 85

    public init() {}

    enum CodingKeys: String, CodingKey {
        case size, radius, threshold, minLength = "min_length", minDepth = "min_depth", minWidth = "min_width"
        case sensitivity
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        size = try c.decodeIfPresent(Int.self, forKey: .size) ?? size
        radius = try c.decodeIfPresent(Int.self, forKey: .radius) ?? radius
        threshold = try c.decodeIfPresent(Float.self, forKey: .threshold) ?? threshold
        minLength = try c.decodeIfPresent(Int.self, forKey: .minLength) ?? minLength
        minDepth = try c.decodeIfPresent(Int.self, forKey: .minDepth) ?? minDepth
        minWidth = try c.decodeIfPresent(Int.self, forKey: .minWidth) ?? minWidth
        sensitivity = try c.decodeIfPresent(Float.self, forKey: .sensitivity) ?? sensitivity
    }

    /// The longest window or run length, in angles, rows or columns.
    public static let maxWindow = 1_000_000

    /// Rows a slab needs beyond the rows whose mask it computes, on each side, for the result to equal the
    /// whole-volume computation: the ratio neighbourhoods reach `radius` rows and the depth rule `minDepth/2`.
    public var ghostRows: Int { radius + minDepth / 2 }

    /// Why these settings cannot run on a volume of `angles × rows × columns`, naming the config key, or nil.
    /// The windows mirror at the volume's edges about the voxel itself, which needs the volume to be at least
    /// twice as long as each half-window.
    public func validate(angles: Int, rows: Int, columns: Int) throws(ConfigError) {
        if size < 1 { throw ConfigError(key: "stripe_mask.size", "must be at least 1 (got \(size))") }
        if radius < 1 { throw ConfigError(key: "stripe_mask.radius", "must be at least 1 (got \(radius))") }
        if !(threshold >= 0 && threshold <= 100) {
            throw ConfigError(key: "stripe_mask.threshold", "must be a finite weight in [0, 100] (got \(threshold))")
        }
        if minLength < 1 { throw ConfigError(key: "stripe_mask.min_length", "must be at least 1 (got \(minLength))") }
        if minDepth < 0 { throw ConfigError(key: "stripe_mask.min_depth", "must be at least 0 (got \(minDepth))") }
        if minWidth < 0 { throw ConfigError(key: "stripe_mask.min_width", "must be at least 0 (got \(minWidth))") }
        for (key, value) in [("size", size), ("radius", radius), ("min_length", minLength), ("min_depth", minDepth),
                             ("min_width", minWidth)] where value > Self.maxWindow {
            throw ConfigError(key: "stripe_mask.\(key)", "\(value) is out of range: must be at most \(Self.maxWindow) "
                              + "(windows longer than any scan)")
        }
        if !(sensitivity >= 0 && sensitivity <= 100) {
            throw ConfigError(key: "stripe_mask.sensitivity", "must be a percentage (got \(sensitivity))")
        }
        let angleReach = max(size, minLength / 2, 2 * minWidth)
        if angles <= 2 * angleReach {
            throw ConfigError(key: "stripe_mask", "the windows reach \(angleReach) angles (size \(size), min_length "
                               + "\(minLength), min_width \(minWidth)) but the scan has only \(angles); "
                               + "it needs more than \(2 * angleReach)")
        }
        let rowReach = max(radius, minDepth / 2)
        if rows <= 2 * rowReach {
            throw ConfigError(key: "stripe_mask", "the windows reach \(rowReach) rows (radius \(radius), min_depth "
                               + "\(minDepth)) but the scan has only \(rows); it needs more than \(2 * rowReach)")
        }
        let columnReach = max(radius, minWidth / 2, 2)
        if columns <= 2 * columnReach {
            throw ConfigError(key: "stripe_mask", "the windows reach \(columnReach) columns but the scan has only "
                               + "\(columns); it needs more than \(2 * columnReach)")
        }
    }
}
