import ArgumentParser
import Batch
import Core
import Foundation
import Sinograms
import Stack

/// Options `stack` and `mask` share: the scan, its paths, shifts and chunking.
struct ScanArguments: ParsableArguments {
    @Argument(help: ArgumentHelp("The NeXus scan N.nxs (config key scan); shift k is N+k.nxs beside it.",
                                 valueName: "scan.nxs"))
    var scan: String?

    @Option(name: [.customLong("hdf-file"), .customLong("hdf-root")], help: ArgumentHelp(
        "The scan, as NoStripesNet spells it (--hdf-file; its README says --hdf-root): an alias of scan.nxs.",
        valueName: "scan.nxs"))
    var hdfFile: String?

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

    func validate() throws {
        if let scan, let hdfFile, scan != hdfFile {
            throw ValidationError("--hdf-file \(hdfFile) and the scan argument \(scan) name different scans; give one")
        }
    }

    func apply(to config: inout StackConfig) {
        if let scan = scan ?? hdfFile { config.scan = scan }
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
                       makeJob: (StackConfig) throws -> any ScanJob,
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
            let job: any ScanJob
            do { job = try makeJob(config) } catch let error as ConfigError { throw error } catch {
                throw ConfigError("\(error)")
            }
            settings.batchSize = job.itemsPerChunk
            Launch.run(job, settings: settings, arguments: common,
                       configText: ConfigDocument.canonicalYAML([settings, config]),
                       jobConfigText: ConfigDocument.canonicalYAML([config, ["seed": settings.seed]]),
                       onComplete: onComplete.map { complete in { try complete(job, $0) } })
        } catch let error as ConfigError {
            Launch.reject(error)
        } catch {
            Launch.reject(ConfigError("\(error)"))
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
        try common.printDefaultConfigIfAsked(.stack)
        StackConfig.launch(common: common, scan: scan, adjust: { config in
            if let mode { config.mode = mode }
            if let mask { config.mask = mask }
            if let frameAngles { config.frameAngles = frameAngles }
            if !patchSize.isEmpty { config.patchSize = patchSize }
            if let edgeRows { config.edgeRows = edgeRows }
            if let sample { config.sample = sample }
            if noDownsample { config.downsample = false }
        }, makeJob: { try StackJob(config: $0) })
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
        try common.printDefaultConfigIfAsked(.stack)
        let npz = self.npz
        StackConfig.launch(common: common, scan: scan, adjust: { _ in }, makeJob: { try MaskJob(config: $0) },
                           onComplete: { job, summary in
            guard let job = job as? MaskJob else { return }
            let directory = PathName.parent(summary.outputFile)
            let target = npz ?? directory + "/masks.npz"
            try job.writeArchive(from: directory, to: target)
            print("masks: \(target) (\(job.archiveKeys.joined(separator: ", ")))")
        })
    }
}
