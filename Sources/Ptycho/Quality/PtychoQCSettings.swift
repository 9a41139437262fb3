import Core

/// What `beamforge ptycho-qc` reads and how it scores and rejects positions, checked once.
public struct PtychoQCSettings: Sendable {
    /// The ingested (or any CXI) file, read only.
    public var input = ""
    /// Patterns (positions × rows × columns) and stage positions (m, one per pattern).
    public var dataPath = "/entry_1/data_1/data"
    public var positionXPath = "/entry_1/ptypy/posx_m"
    public var positionYPath = "/entry_1/ptypy/posy_m"
    /// A static mask (non-zero = bad) and a per-position valid mask (1 = valid); nil tries ptycho-ingest's
    /// (`/entry_1/instrument_1/detector_1/mask`, `/entry_1/ptypy/mask_valid`) and goes without when absent.
    public var maskPath: String?
    public var validPath: String?
    /// Detector distance and pixel size (m), for the centre of mass in mrad.
    public var distancePath = "/entry_1/instrument_1/detector_1/distance"
    public var pixelSizePath = "/entry_1/instrument_1/detector_1/x_pixel_size"
    /// A centred window of the patterns (nil: whole) and a binning of it, before the features.
    public var roi: (rows: Int, columns: Int)?
    public var bin = 1
    /// The embedding's side (side² values per position) and the PCA components kept.
    public var embedSide = 16
    public var pcaComponents = 12
    /// The robust z that scores 0.5.
    public var halfScoreZ = 6.0
    public var rule = RejectionRule.threshold(0.5)
    public var region: RejectionRule.Region?
    /// Thumbnails of this many highest-scoring patterns (0: none).
    public var thumbnails = 12

    public init() {}

    /// Checks the values that need no file, naming the key at fault.
    public func validate() throws(ConfigError) {
        guard !input.isEmpty else { throw ConfigError(key: "input", "missing: name the ingested file (DIR/ptycho.h5)") }
        try PixelBinning.validate(roi: roi, bin: bin, what: "scored pattern")
        try ConfigError.bound(count: embedSide, key: "embed_side", 2...64, why: "embedding side in blocks")
        try ConfigError.bound(count: pcaComponents, key: "pca_k", 1...(embedSide * embedSide), why: "PCA components")
        try ConfigError.bound(halfScoreZ, key: "half_score_z", 0, 1e6, lowerOpen: true)
        try ConfigError.bound(count: thumbnails, key: "thumbs_topk", 0...1000, why: "thumbnails of the worst patterns")
        switch rule {
        case .topK(let k): try ConfigError.bound(count: k, key: "reject_topk", 0...Int.max, why: "positions rejected")
        case .topFraction(let p): try ConfigError.bound(p, key: "reject_topp", 0, 1)
        case .threshold(let t): try ConfigError.bound(t, key: "reject_thresh", 0, 1)
        }
        try region?.validate()
    }
}
