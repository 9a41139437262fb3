import Core

/// The config keys of `beamforge ptycho-qc` (`--set key=value` or a YAML file; the command line wins).
public struct PtychoQCConfig: Codable, Equatable, Sendable {
    private static let defaults = PtychoQCSettings()

    public var input = ""
    public var dataPath = defaults.dataPath
    public var posXPath = defaults.positionXPath
    public var posYPath = defaults.positionYPath
    public var maskPath: String?
    public var validPath: String?
    public var distancePath = defaults.distancePath
    public var pixelSizePath = defaults.pixelSizePath
    public var roi: [Int]?
    public var bin = defaults.bin
    public var embedSide = defaults.embedSide
    public var pcaK = defaults.pcaComponents
    public var halfScoreZ = defaults.halfScoreZ
    public var rejectTopk: Int?
    public var rejectTopp: Double?
    public var rejectThresh: Double?
    public var rect: [Double]?
    public var circ: [Double]?
    public var thumbsTopk = defaults.thumbnails

    enum CodingKeys: String, CodingKey {
        case input, dataPath = "data_path", posXPath = "pos_x_path", posYPath = "pos_y_path", maskPath = "mask_path"
        case validPath = "valid_path", distancePath = "distance_path", pixelSizePath = "pixel_size_path"
        case roi, bin, embedSide = "embed_side", pcaK = "pca_k", halfScoreZ = "half_score_z", rejectTopk = "reject_topk"
        case rejectTopp = "reject_topp", rejectThresh = "reject_thresh", rect, circ
        case thumbsTopk = "thumbs_topk"
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        input = try c.decodeIfPresent(String.self, forKey: .input) ?? input
        dataPath = try c.decodeIfPresent(String.self, forKey: .dataPath) ?? dataPath
        posXPath = try c.decodeIfPresent(String.self, forKey: .posXPath) ?? posXPath
        posYPath = try c.decodeIfPresent(String.self, forKey: .posYPath) ?? posYPath
        maskPath = try c.decodeIfPresent(String.self, forKey: .maskPath)
        validPath = try c.decodeIfPresent(String.self, forKey: .validPath)
        distancePath = try c.decodeIfPresent(String.self, forKey: .distancePath) ?? distancePath
        pixelSizePath = try c.decodeIfPresent(String.self, forKey: .pixelSizePath) ?? pixelSizePath
        roi = try c.decodeIfPresent([Int].self, forKey: .roi)
        bin = try c.decodeIfPresent(Int.self, forKey: .bin) ?? bin
        embedSide = try c.decodeIfPresent(Int.self, forKey: .embedSide) ?? embedSide
        pcaK = try c.decodeIfPresent(Int.self, forKey: .pcaK) ?? pcaK
        halfScoreZ = try c.decodeIfPresent(Double.self, forKey: .halfScoreZ) ?? halfScoreZ
        rejectTopk = try c.decodeIfPresent(Int.self, forKey: .rejectTopk)
        rejectTopp = try c.decodeIfPresent(Double.self, forKey: .rejectTopp)
        rejectThresh = try c.decodeIfPresent(Double.self, forKey: .rejectThresh)
        rect = try c.decodeIfPresent([Double].self, forKey: .rect)
        circ = try c.decodeIfPresent([Double].self, forKey: .circ)
        thumbsTopk = try c.decodeIfPresent(Int.self, forKey: .thumbsTopk) ?? thumbsTopk
    }

    /// The typed settings, every value that needs no file checked.
    public func settings() throws(ConfigError) -> PtychoQCSettings {
        var s = PtychoQCSettings()
        s.input = input
        s.dataPath = dataPath
        s.positionXPath = posXPath
        s.positionYPath = posYPath
        s.maskPath = maskPath
        s.validPath = validPath
        s.distancePath = distancePath
        s.pixelSizePath = pixelSizePath
        if let roi {
            guard roi.count == 2 else { throw ConfigError(key: "roi", "must be two sizes [rows, columns] (got \(roi))") }
            s.roi = (roi[0], roi[1])
        }
        s.bin = bin
        s.embedSide = embedSide
        s.pcaComponents = pcaK
        s.halfScoreZ = halfScoreZ
        s.thumbnails = thumbsTopk
        let rules = [rejectTopk.map { RejectionRule.topK($0) }, rejectTopp.map { RejectionRule.topFraction($0) },
                     rejectThresh.map { RejectionRule.threshold($0) }].compactMap { $0 }
        guard rules.count <= 1 else {
            throw ConfigError(key: "reject_topk", "give one of reject_topk, reject_topp and reject_thresh")
        }
        if let rule = rules.first { s.rule = rule }
        // Numbers in metres; the same parsing as ptycho-ingest's selection.
        s.region = try RejectionRule.Region.parsing(rect: rect.map { $0.map { "\($0)" } },
                                                    circ: circ.map { $0.map { "\($0)" } })
        try s.validate()
        return s
    }
}
