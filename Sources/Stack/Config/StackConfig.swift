import Core
import Sinograms

/// The config keys of `beamforge stack` and `beamforge mask`, as read from YAML (configs/stack.yml documents them,
/// with these defaults). ``settings()`` checks every value and gives the jobs' typed ``StackSettings``.
public struct StackConfig: Codable, Equatable, Sendable {
    private static let defaults = StackSettings()

    public var mode = defaults.mode.rawValue
    public var scan = ""
    public var dataPath = defaults.paths.data
    public var imageKeyPath = defaults.paths.imageKey
    public var anglesPath = defaults.paths.angles
    public var flats: String?
    public var flatsDataPath = defaults.flatsPaths.data
    public var flatsImageKeyPath = defaults.flatsPaths.imageKey
    public var shifts = defaults.shifts
    public var shiftStep = defaults.shiftStep
    public var chunkSize = defaults.chunkSize
    public var downsample = defaults.downsample
    public var outputShape = [defaults.outputShape.angles, defaults.outputShape.columns]
    public var edgeRows = defaults.edgeRows
    public var frameAngles = defaults.frameAngles
    public var patchSize = [defaults.patchSize.angles, defaults.patchSize.columns]
    public var sample = defaults.sample
    public var mask: String?
    public var stripeMask = defaults.mask
    public var pairedStripes = Stripes()
    public var patchStripes = Stripes()

    /// Synthetic stripes (TomoPhantom's parameters); a key left out keeps the mode's default. Paired mode draws
    /// the kind per sinogram, patch mode uses full stripes.
    public struct Stripes: Codable, Equatable, Sendable {
        public var percentage: Double?
        public var maxThickness: Int?
        public var intensity: Double?
        public var variability: Double?

        enum CodingKeys: String, CodingKey { case percentage, maxThickness = "max_thickness", intensity, variability }

        func settings(over base: StripeSettings) -> StripeSettings {
            StripeSettings(percentage: percentage ?? base.percentage, maxThickness: maxThickness ?? base.maxThickness,
                           intensity: intensity ?? base.intensity, kind: base.kind,
                           variability: variability ?? base.variability)
        }
    }

    enum CodingKeys: String, CodingKey {
        case mode, scan, dataPath = "data_path", imageKeyPath = "image_key_path", anglesPath = "angles_path"
        case flats, flatsDataPath = "flats_data_path", flatsImageKeyPath = "flats_image_key_path"
        case shifts, shiftStep = "shift_step", chunkSize = "chunk_size", downsample, outputShape = "output_shape"
        case edgeRows = "edge_rows", frameAngles = "frame_angles", patchSize = "patch_size", sample, mask
        case stripeMask = "stripe_mask", pairedStripes = "paired_stripes", patchStripes = "patch_stripes"
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        mode = try c.decodeIfPresent(String.self, forKey: .mode) ?? mode
        scan = try c.decodeIfPresent(String.self, forKey: .scan) ?? scan
        dataPath = try c.decodeIfPresent(String.self, forKey: .dataPath) ?? dataPath
        imageKeyPath = try c.decodeIfPresent(String.self, forKey: .imageKeyPath) ?? imageKeyPath
        anglesPath = try c.decodeIfPresent(String.self, forKey: .anglesPath) ?? anglesPath
        flats = try c.decodeIfPresent(String.self, forKey: .flats) ?? flats
        flatsDataPath = try c.decodeIfPresent(String.self, forKey: .flatsDataPath) ?? flatsDataPath
        flatsImageKeyPath = try c.decodeIfPresent(String.self, forKey: .flatsImageKeyPath) ?? flatsImageKeyPath
        shifts = try c.decodeIfPresent(Int.self, forKey: .shifts) ?? shifts
        shiftStep = try c.decodeIfPresent(Int.self, forKey: .shiftStep) ?? shiftStep
        chunkSize = try c.decodeIfPresent(Int.self, forKey: .chunkSize) ?? chunkSize
        downsample = try c.decodeIfPresent(Bool.self, forKey: .downsample) ?? downsample
        outputShape = try c.decodeIfPresent([Int].self, forKey: .outputShape) ?? outputShape
        edgeRows = try c.decodeIfPresent(Int.self, forKey: .edgeRows) ?? edgeRows
        frameAngles = try c.decodeIfPresent(Int.self, forKey: .frameAngles) ?? frameAngles
        patchSize = try c.decodeIfPresent([Int].self, forKey: .patchSize) ?? patchSize
        sample = try c.decodeIfPresent(Int.self, forKey: .sample) ?? sample
        mask = try c.decodeIfPresent(String.self, forKey: .mask) ?? mask
        stripeMask = try c.decodeIfPresent(StripeMaskSettings.self, forKey: .stripeMask) ?? stripeMask
        pairedStripes = try c.decodeIfPresent(Stripes.self, forKey: .pairedStripes) ?? pairedStripes
        patchStripes = try c.decodeIfPresent(Stripes.self, forKey: .patchStripes) ?? patchStripes
    }

    /// Checks every value that needs no file, naming the key at fault (the scan files are checked by the jobs).
    public func validate() throws(ConfigError) { _ = try settings() }

    /// The jobs' typed settings, every value that needs no file checked.
    public func settings() throws(ConfigError) -> StackSettings {
        var s = StackSettings()
        guard let m = StackSettings.Mode(rawValue: mode) else {
            throw ConfigError(key: "mode", "must be one of \(StackSettings.Mode.allCases.map(\.rawValue).joined(separator: ", ")) "
                                + "(got '\(mode)')")
        }
        func pair(_ key: String, _ values: [Int]) throws(ConfigError) -> (Int, Int) {
            guard values.count == 2 else { throw ConfigError(key: key, "must be two sizes [angles, columns] (got \(values))") }
            return (values[0], values[1])
        }
        s.mode = m
        s.scan = scan
        s.paths.data = dataPath
        s.paths.imageKey = imageKeyPath
        s.paths.angles = anglesPath
        s.flatsFile = flats
        s.flatsPaths.data = flatsDataPath
        s.flatsPaths.imageKey = flatsImageKeyPath
        s.shifts = shifts
        s.shiftStep = shiftStep
        s.chunkSize = chunkSize
        s.downsample = downsample
        s.outputShape = try pair("output_shape", outputShape)
        s.edgeRows = edgeRows
        s.frameAngles = frameAngles
        s.patchSize = try pair("patch_size", patchSize)
        s.sample = sample
        s.maskFile = mask
        s.mask = stripeMask
        s.pairedStripes = pairedStripes.settings(over: s.pairedStripes)
        s.patchStripes = patchStripes.settings(over: s.patchStripes)
        try s.validate()
        return s
    }
}
