import ArgumentParser
import Batch
import Foundation
import Sinograms
import Stack

/// The config keys of `beamforge stack` and `beamforge mask` (configs/stack.yml documents them).
struct StackConfig: Codable, Equatable {
    private static let defaults = StackSettings()

    var mode = defaults.mode.rawValue
    var scan = ""
    var dataPath = defaults.paths.data
    var imageKeyPath = defaults.paths.imageKey
    var anglesPath = defaults.paths.angles
    var flats: String?
    var flatsDataPath = defaults.flatsPaths.data
    var flatsImageKeyPath = defaults.flatsPaths.imageKey
    var shifts = defaults.shifts
    var shiftStep = defaults.shiftStep
    var chunkSize = defaults.chunkSize
    var downsample = defaults.downsample
    var outputShape = [defaults.outputShape.angles, defaults.outputShape.columns]
    var edgeRows = defaults.edgeRows
    var frameAngles = defaults.frameAngles
    var patchSize = [defaults.patchSize.angles, defaults.patchSize.columns]
    var sample = defaults.sample
    var mask: String?
    var stripeMask = defaults.mask
    var pairedStripes = Stripes()
    var patchStripes = Stripes()

    /// Synthetic stripes (TomoPhantom's parameters); a key left out keeps the mode's default. Paired mode draws
    /// the kind per sinogram, patch mode uses full stripes.
    struct Stripes: Codable, Equatable {
        var percentage: Double?
        var maxThickness: Int?
        var intensity: Double?
        var variability: Double?

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

    init() {}

    init(from decoder: Decoder) throws {
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

    /// The job's settings, checking the values that need their own message here (the job checks the rest).
    func settings() throws(ConfigProblem) -> StackSettings {
        var s = StackSettings()
        guard let m = StackSettings.Mode(rawValue: mode) else {
            throw ConfigProblem("mode: must be one of \(StackSettings.Mode.allCases.map(\.rawValue).joined(separator: ", ")) "
                                + "(got '\(mode)')")
        }
        func pair(_ key: String, _ values: [Int]) throws(ConfigProblem) -> (Int, Int) {
            guard values.count == 2 else { throw ConfigProblem("\(key): must be two sizes [angles, columns] (got \(values))") }
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
        return s
    }
}

/// Options `stack` and `mask` share: the scan, its paths, shifts and chunking.
struct ScanArguments: ParsableArguments {
    @Argument(help: ArgumentHelp("The NeXus scan N.nxs (config key scan); shift k is N+k.nxs beside it.",
                                 valueName: "scan.nxs"))
    var scan: String?

    @Option(name: .customLong("data-path"), help: "Frames dataset (config key data_path).")
    var dataPath: String?

    @Option(name: .customLong("image-key-path"), help: "Image key dataset, 0/1/2 = projection/flat/dark (config key image_key_path).")
    var imageKeyPath: String?

    @Option(name: .customLong("angles-path"), help: "Rotation angles dataset (config key angles_path).")
    var anglesPath: String?

    @Option(name: .long, help: ArgumentHelp("A file with the flats and darks (config key flats).", valueName: "file"))
    var flats: String?

    @Option(name: [.customShort("s"), .long], help: "Scans to process: N, N+1, ... (config key shifts).")
    var shifts: Int?

    @Option(name: [.customShort("p"), .customLong("shiftstep")], help: "Scan-number step between shifts (config key shift_step).")
    var shiftStep: Int?

    @Option(name: [.customShort("C"), .customLong("chunk-size")], help: "Detector rows per rank per read (config key chunk_size).")
    var chunkSize: Int?

    @Option(name: [.customShort("r"), .long], help: ArgumentHelp("Output directory, an alias of --out.", valueName: "dir"))
    var root: String?

    func apply(to config: inout StackConfig) {
        if let scan { config.scan = scan }
        if let dataPath { config.dataPath = dataPath }
        if let imageKeyPath { config.imageKeyPath = imageKeyPath }
        if let anglesPath { config.anglesPath = anglesPath }
        if let flats { config.flats = flats }
        if let shifts { config.shifts = shifts }
        if let shiftStep { config.shiftStep = shiftStep }
        if let chunkSize { config.chunkSize = chunkSize }
    }
}

extension StackConfig {
    /// Reads the configuration, applies the command line, and launches `makeJob`'s job with one chunk of rows per
    /// batch.
    static func launch(common: RunArguments, scan: ScanArguments, adjust: (inout StackConfig) -> Void,
                       makeJob: (StackSettings) throws -> any ScanJob,
                       onComplete: ((any ScanJob, RunSummary) throws -> Void)? = nil) -> Never {
        do {
            var document = try ConfigDocument(path: common.config)
            if let root = scan.root { try document.set("out", to: RunArguments.quoted(root), origin: "--root") }
            for (key, value) in try common.keyOverrides() { try document.set(key, to: value, origin: "--set") }
            var settings = try document.decode(RunSettings.self)
            var config = try document.decode(StackConfig.self)
            try document.rejectUnknownKeys([settings, config])
            scan.apply(to: &config)
            adjust(&config)
            try settings.validate()
            let stack = try config.settings()
            let job: any ScanJob
            do { job = try makeJob(stack) } catch {
                throw ConfigProblem("\(error)")
            }
            settings.batchSize = job.itemsPerChunk
            Launch.run(job, settings: settings, arguments: common,
                       configText: ConfigDocument.canonicalYAML([settings, config]),
                       jobConfigText: ConfigDocument.canonicalYAML([config, ["seed": settings.seed]]),
                       onComplete: onComplete.map { complete in { try complete(job, $0) } })
        } catch let problem as ConfigProblem {
            Launch.reject(problem)
        } catch {
            Launch.reject(ConfigProblem("\(error)"))
        }
    }
}

/// `beamforge stack`: training data from real NeXus scans.
struct StackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stack",
        abstract: "Turn NeXus tomography scans into stripe-removal training data (NoStripesNet's real data).",
        discussion: """
            Detector rows are split across ranks in chunks of --chunk-size rows; each rank reads only its rows of \
            every projection (hyperslabs; external links are followed), applies the mean flat and dark, takes -ln and \
            resizes each sinogram to 402x362 with anti-aliasing (--no-downsample keeps the full size). The range over \
            each whole scan, without --edge-rows rows at each end, comes from an MPI reduction and scales every \
            uint16 TIFF once. Modes: raw (every sinogram of every shift), paired (clean sinograms get synthetic \
            stripes, striped ones are real artefacts; needs a stripe mask: --mask FILE (.npz or mask.h5) or computed here), \
            dynamic (frames of --frame-angles angles), patch (full-resolution patches). Writes DIR/stack.h5, \
            DIR/meta.csv and NoStripesNet's TIFF tree under DIR.
            """)

    @OptionGroup var common: RunArguments
    @OptionGroup var scan: ScanArguments

    @Option(name: [.customShort("m"), .long], help: "raw, paired, dynamic or patch (config key mode).")
    var mode: String?

    @Option(name: .long, help: ArgumentHelp("Stripe masks: an .npz of m<scan> arrays, or the mask.h5 of a beamforge "
                                            + "mask run (config key mask).", valueName: "file"))
    var mask: String?

    @Option(name: .customLong("frame-angles"), help: "Dynamic mode: angles per frame (config key frame_angles).")
    var frameAngles: Int?

    @Option(name: .customLong("patch-size"), parsing: .upToNextOption,
            help: ArgumentHelp("Patch mode: angles and columns of a patch (config key patch_size).", valueName: "a c"))
    var patchSize: [Int] = []

    @Option(name: .customLong("edge-rows"), help: "Rows left out at each end for the global range (config key edge_rows).")
    var edgeRows: Int?

    @Option(name: [.customShort("S"), .long], help: "Sample number in file names (config key sample).")
    var sample: Int?

    @Flag(name: .customLong("no-downsample"), help: "Keep full-size sinograms (config key downsample: false).")
    var noDownsample = false

    func run() throws {
        StackConfig.launch(common: common, scan: scan, adjust: { config in
            if let mode { config.mode = mode }
            if let mask { config.mask = mask }
            if let frameAngles { config.frameAngles = frameAngles }
            if !patchSize.isEmpty { config.patchSize = patchSize }
            if let edgeRows { config.edgeRows = edgeRows }
            if let sample { config.sample = sample }
            if noDownsample { config.downsample = false }
        }, makeJob: { try StackJob(settings: $0) })
    }
}

/// `beamforge mask`: Larix stripe masks of NeXus scans, as NoStripesNet's .npz.
struct MaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mask",
        abstract: "Compute Larix stripe masks (STRIPES_DETECT + STRIPES_MERGE) of NeXus scans.",
        discussion: """
            Rows are split across ranks in chunks of --chunk-size rows; each rank also reads the ghost rows the \
            windows reach (radius + min_depth/2 on each side), so the mask equals the whole-volume computation. \
            Writes DIR/mask.h5 (/mask/mask, one angles x columns plane per row) and DIR/meta.csv, then stores each \
            scan's mask as m<scan> (uint8, angles x rows x columns) in the --npz archive, created or extended.
            """)

    @OptionGroup var common: RunArguments
    @OptionGroup var scan: ScanArguments

    @Option(name: .long, help: ArgumentHelp("The .npz archive to create or extend (default DIR/masks.npz).",
                                            valueName: "file.npz"))
    var npz: String?

    func run() throws {
        let npz = self.npz
        StackConfig.launch(common: common, scan: scan, adjust: { _ in }, makeJob: { try MaskJob(settings: $0) },
                           onComplete: { job, summary in
            guard let job = job as? MaskJob else { return }
            let directory = (summary.outputFile as NSString).deletingLastPathComponent
            let target = npz ?? directory + "/masks.npz"
            try job.writeArchive(from: directory, to: target)
            print("masks: \(target) (\(job.archiveKeys.joined(separator: ", ")))")
        })
    }
}
