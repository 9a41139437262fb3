import Core

/// The config keys of `beamforge ptycho-ingest`, as read from YAML (configs/ptycho.yml documents them with these
/// defaults). ``settings()`` checks every value and gives the job's typed ``PtychoSettings``.
public struct PtychoConfig: Codable, Equatable, Sendable {
    private static let defaults = PtychoSettings()

    public var input = ""
    public var pattern: String?
    public var csv: String?
    public var dataPath: String?
    public var posX = defaults.positionX
    public var posY = defaults.positionY
    public var posUnits: String?
    public var posScale = defaults.positionScale
    public var darkPath: String?
    public var dark: String?
    public var flatPath: String?
    public var flat: String?
    public var maskPath: String?
    public var mask: String?
    public var maskFilePath = defaults.maskFilePath
    public var energy: String?
    public var energyPath: String?
    public var distance: String?
    public var distancePath: String?
    public var pixelSize: String?
    public var pixelSizePath: String?
    public var exposure: Double?
    public var exposurePath: String?
    public var framesPerPos = defaults.framesPerPosition
    public var grouping = defaults.grouping.rawValue
    public var rotate = defaults.rotate
    public var flip = defaults.flip
    public var roi: [Int]?
    public var center = "auto"
    public var bin = defaults.bin
    public var rect: [String]?
    public var circ: [String]?
    public var qc = defaults.qc
    public var sat: Double?
    public var hotSigma = defaults.hotSigma
    public var deadFraction = defaults.deadFraction

    enum CodingKeys: String, CodingKey {
        case input, pattern, csv, dataPath = "data_path", posX = "pos_x", posY = "pos_y", posUnits = "pos_units"
        case posScale = "pos_scale", darkPath = "dark_path", dark, flatPath = "flat_path", flat
        case maskPath = "mask_path", mask, maskFilePath = "mask_file_path", energy, energyPath = "energy_path"
        case distance, distancePath = "distance_path", pixelSize = "pixel_size", pixelSizePath = "pixel_size_path"
        case exposure, exposurePath = "exposure_path", framesPerPos = "frames_per_pos", grouping, rotate, flip, roi
        case center, bin, rect, circ, qc, sat, hotSigma = "hot_sigma", deadFraction = "dead_fraction"
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        func text(_ key: CodingKeys, _ value: inout String?) throws {
            value = try c.decodeIfPresent(String.self, forKey: key) ?? value
        }
        input = try c.decodeIfPresent(String.self, forKey: .input) ?? input
        try text(.pattern, &pattern)
        try text(.csv, &csv)
        try text(.dataPath, &dataPath)
        posX = try c.decodeIfPresent(String.self, forKey: .posX) ?? posX
        posY = try c.decodeIfPresent(String.self, forKey: .posY) ?? posY
        try text(.posUnits, &posUnits)
        posScale = try c.decodeIfPresent(Double.self, forKey: .posScale) ?? posScale
        try text(.darkPath, &darkPath)
        try text(.dark, &dark)
        try text(.flatPath, &flatPath)
        try text(.flat, &flat)
        try text(.maskPath, &maskPath)
        try text(.mask, &mask)
        maskFilePath = try c.decodeIfPresent(String.self, forKey: .maskFilePath) ?? maskFilePath
        try text(.energy, &energy)
        try text(.energyPath, &energyPath)
        try text(.distance, &distance)
        try text(.distancePath, &distancePath)
        try text(.pixelSize, &pixelSize)
        try text(.pixelSizePath, &pixelSizePath)
        exposure = try c.decodeIfPresent(Double.self, forKey: .exposure) ?? exposure
        try text(.exposurePath, &exposurePath)
        framesPerPos = try c.decodeIfPresent(Int.self, forKey: .framesPerPos) ?? framesPerPos
        grouping = try c.decodeIfPresent(String.self, forKey: .grouping) ?? grouping
        rotate = try c.decodeIfPresent(Int.self, forKey: .rotate) ?? rotate
        flip = try c.decodeIfPresent(String.self, forKey: .flip) ?? flip
        roi = try c.decodeIfPresent([Int].self, forKey: .roi) ?? roi
        center = try c.decodeIfPresent(String.self, forKey: .center) ?? center
        bin = try c.decodeIfPresent(Int.self, forKey: .bin) ?? bin
        rect = try c.decodeIfPresent([String].self, forKey: .rect)
        circ = try c.decodeIfPresent([String].self, forKey: .circ)
        qc = try c.decodeIfPresent(Bool.self, forKey: .qc) ?? qc
        sat = try c.decodeIfPresent(Double.self, forKey: .sat) ?? sat
        hotSigma = try c.decodeIfPresent(Double.self, forKey: .hotSigma) ?? hotSigma
        deadFraction = try c.decodeIfPresent(Double.self, forKey: .deadFraction) ?? deadFraction
    }

    /// The job's typed settings, every value that needs no file checked.
    public func settings() throws(ConfigError) -> PtychoSettings {
        var s = PtychoSettings()
        s.input = input
        s.pattern = pattern
        s.csv = csv
        s.dataPath = dataPath
        s.positionX = posX
        s.positionY = posY
        s.positionUnit = posUnits
        s.positionScale = posScale
        s.darkPath = darkPath
        s.darkFile = dark
        s.flatPath = flatPath
        s.flatFile = flat
        s.maskPath = maskPath
        s.maskFile = mask
        s.maskFilePath = maskFilePath
        s.energy = try QuantitySource.from(value: energy, path: energyPath, key: "energy", kind: .energy)
        s.distance = try QuantitySource.from(value: distance, path: distancePath, key: "distance", kind: .length)
        s.pixelSize = try QuantitySource.from(value: pixelSize, path: pixelSizePath, key: "pixel_size", kind: .length)
        s.exposure = exposure
        s.exposurePath = exposurePath
        s.framesPerPosition = framesPerPos
        guard let g = Grouping(rawValue: grouping) else {
            throw ConfigError(key: "grouping", "must be one of \(Grouping.allCases.map(\.rawValue).joined(separator: ", ")) "
                              + "(got '\(grouping)')")
        }
        s.grouping = g
        s.rotate = rotate
        s.flip = flip
        if let roi {
            guard roi.count == 2 else { throw ConfigError(key: "roi", "must be two sizes [rows, columns] (got \(roi))") }
            s.roi = (roi[0], roi[1])
        }
        s.centre = try CentreSpec(parsing: center, key: "center")
        s.bin = bin
        s.region = try RejectionRule.Region.parsing(rect: rect, circ: circ)
        s.qc = qc
        s.saturation = sat
        s.hotSigma = hotSigma
        s.deadFraction = deadFraction
        try s.validate()
        return s
    }

    /// Checks every value that needs no file.
    public func validate() throws(ConfigError) { _ = try settings() }
}
