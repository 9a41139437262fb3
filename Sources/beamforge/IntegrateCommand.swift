import ArgumentParser
import Core
import Formats
import Foundation
import Integration

/// `beamforge integrate`: azimuthal integration of detector frames.
struct IntegrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "integrate",
        abstract: "Integrate detector frames into I(q) with a SAXSDog calibration or a pyFAI PONI file.",
        discussion: """
            Frames (TIFF files, directories of them, HDF5/NeXus stacks, @list files) are split across ranks; \
            each rank builds the calibration's sparse integration matrices once and applies them to blocks of \
            8 frames. Writes DIR/integrated.h5 (NXcanSAS: I and Idev as frames x bins, Q), DIR/meta.csv (per-frame \
            integral parameters I0, I1, I2 and counts) and, with --chi, DIR/chi/<frame>.chi as SAXSDog writes them.
            """)

    @OptionGroup var common: RunArguments

    @OptionGroup var live: WatchArguments

    @Option(name: .long, help: ArgumentHelp("SAXSDog calibration (.json) or pyFAI PONI file (config key calibration).",
                                            valueName: "file"))
    var calibration: String?

    @Flag(name: .long, help: "Also write SAXSDog .chi files, one per frame and integration (config key chi).")
    var chi = false

    @Option(name: .customLong("chi-layout"), help: ArgumentHelp(
        "Where .chi files go: flat (DIR/chi/), mirror (DIR/chi/ with the inputs' folders below their common "
            + "folder; default) or relpath:R (beside the images, in <image folder>/R, SAXSDog's -R ../work) "
            + "(config key chi_layout).", valueName: "layout"))
    var chiLayout: String?

    @Flag(name: .long, help: "Read input directories with all their sub-directories (config key recursive).")
    var recursive = false

    @Option(name: .long, help: ArgumentHelp("Only files of input directories whose names match this shell wildcard, "
                                            + "e.g. '*_0*.tif' (config key pattern).", valueName: "glob"))
    var pattern: String?

    @Flag(name: .long, help: ArgumentHelp(
        "Add the inputs a complete output lacks (frames new in its directories): the output becomes that of a "
            + "fresh run over all of them; the frames it has are copied, not recomputed."))
    var update = false

    @Option(name: .long, help: ArgumentHelp("Write DIR/preview/<frame>.png for the first N frames: the frame with its mask and its curves.",
                                            valueName: "N"))
    var preview: Int = 0

    @Option(name: .customLong("data-path"), help: ArgumentHelp(
        "Frames dataset in HDF5 inputs; default: the first of /entry_0000/measurement/data (ESRF ID02), "
            + "/entry1/detector/data (Diamond I22), /entry/instrument/detector/data, /entry/data/data.",
        valueName: "path"))
    var dataPath: String?

    @Option(name: .long, help: "oversampling (SAXSDog) or full (exact pixel area) (config key split).")
    var split: String?

    @Option(name: [.customLong("q-unit"), .customLong("unit")], help: ArgumentHelp(
        "Unit of Q in integrated.h5 and of --npt's bins: q_nm^-1 or q_A^-1 as pyFAI spells them, or 1/nm, 1/angstrom "
            + "(default 1/nm; pyFAI's 2th_deg and r_mm are refused: beamforge bins in q) (config key q_unit).",
        valueName: "unit"))
    var qUnit: String?

    @Option(name: .long, help: ArgumentHelp("Mask replacing the calibration's: Fit2D .msk or image, nonzero = masked.",
                                            valueName: "file"))
    var mask: String?

    @Option(name: .long, help: "Exclude pixels at or above this count (default: the maximum of unsigned frame types).")
    var overflow: Double?

    @Flag(name: .customLong("solid-angle"), inversion: .prefixedNo, help: ArgumentHelp(
        "Divide by the solid angle cos^3(incidence) as pyFAI does; default: on for PONI calibrations (pyFAI's "
            + "default), off for SAXSDog .json ones (SAXSDog's behaviour, which refuses --solid-angle) "
            + "(config key solid_angle)."))
    var solidAngle: Bool?

    @Option(name: .long, help: ArgumentHelp(
        "pyFAI's polarization factor, -1 to 1 (0 unpolarized, 1 horizontal; PONI calibrations; default: none) "
            + "(config key polarization).", valueName: "F"))
    var polarization: Double?

    @Option(name: .long, help: ArgumentHelp("Dark frame subtracted from each frame (TIFF, pages averaged; PONI "
                                            + "calibrations; default: none) (config key dark).", valueName: "file"))
    var dark: String?

    @Option(name: .long, help: ArgumentHelp("Flat-field frame dividing each frame, pyFAI's (I - dark)/(flat x solid "
                                            + "angle x polarization) (TIFF, pages averaged; PONI calibrations; default: "
                                            + "none) (config key flat).", valueName: "file"))
    var flat: String?

    @Option(name: .long, help: ArgumentHelp(
        "Radial bins over pyFAI's default q range (the unmasked pixels' centres, or corners with --split full), "
            + "as pyFAI's npt (PONI calibrations; default: SAXSDog's bins, about one pixel wide, from q = 0) "
            + "(config key npt).", valueName: "N"))
    var npt: Int?

    @Argument(help: ArgumentHelp("Frames: TIFF files, directories of TIFF files, HDF5/NeXus files, @list files.",
                                 valueName: "input"))
    var inputs: [String] = []

    func run() throws {
        try common.printDefaultConfigIfAsked(.integrate)
        do {
            var document = try ConfigDocument(path: common.config)
            for (key, value) in try common.keyOverrides() { try document.set(key, to: value, origin: "--set") }
            let settings = try document.decode(RunSettings.self)
            var config = try document.decode(IntegrateConfig.self)
            try document.rejectUnknownKeys([settings, config])
            try settings.validate()
            // Paths from the config are relative to it; those from the command line to the working directory.
            let base = document.baseDirectory
            func relative(_ path: String) -> String { path.hasPrefix("/") || path.hasPrefix("@/") ? path
                : path.hasPrefix("@") ? "@" + base + "/" + path.dropFirst() : base + "/" + path }
            config.calibration = calibration ?? config.calibration.map(relative)
            config.inputs = inputs.isEmpty ? config.inputs.map(relative) : inputs
            config.mask = mask ?? config.mask.map(relative)
            config.dataPath = dataPath ?? config.dataPath
            if chi { config.chi = true }
            if let chiLayout { config.chiLayout = chiLayout }
            if recursive { config.recursive = true }
            if let pattern { config.pattern = pattern }
            if let split { config.split = split }
            if let qUnit { config.qUnit = qUnit }
            if let overflow { config.overflow = overflow }
            if let solidAngle { config.solidAngle = solidAngle }
            if let polarization { config.polarization = polarization }
            if let npt { config.npt = npt }
            config.dark = dark ?? config.dark.map(relative)
            config.flat = flat ?? config.flat.map(relative)
            try config.validate(needsInputs: live.watch == nil)
            let options = try config.settings()
            let calibrationPath = config.calibration ?? ""  // named: validate() checked it

            if let watch = try live.settings(recursive: config.recursive, pattern: config.pattern) {
                try runWatch(watch, config: config, options: options, settings: settings,
                             configText: ConfigDocument.canonicalYAML([settings, config]))
            }

            let job: IntegrateJob
            let calibrationText: String
            do {
                let frames = try FrameInputs(config.inputs, dataPath: config.dataPath, recursive: config.recursive,
                                             pattern: config.pattern)
                if options.chi, let clash = options.chiLayout.firstClash(in: frames) {
                    throw ConfigError(key: "inputs", "\(clash.first) and \(clash.second) would both write "
                                      + "\(clash.path): give the inputs distinct file names or another --chi-layout")
                }
                let calibration = try Calibration.load(calibrationPath, maskOverride: config.mask,
                                                       oversampling: config.oversampling,
                                                       imageSize: try frames.firstFrameSize())
                calibrationText = (try? String(contentsOfFile: calibrationPath, encoding: .utf8)) ?? ""
                if Launch.launcherRank == 0 {
                    for warning in calibration.warnings {
                        FileHandle.standardError.write(Data("beamforge: warning: \(warning)\n".utf8))
                    }
                }
                job = try IntegrateJob(calibration: calibration, inputs: frames, options: options, matrices: nil)
            } catch let error as ConfigError {
                throw error
            } catch {
                throw ConfigError("\(error)")
            }
            // The frames themselves are compared by their keys (--resume names added or missing ones, --update
            // adds them), so the input arguments stay out of the configuration that must match.
            var recorded = config
            recorded.inputs = []
            let jobConfig = ConfigDocument.canonicalYAML([recorded]) + "# calibration file\n" + calibrationText
            guard preview >= 0 && preview <= 10_000 else { throw ConfigError(key: "--preview", "must be 0 to 10000 frames") }
            let previews = preview, directory = settings.out
            Launch.run(job, settings: settings, arguments: common,
                       configText: ConfigDocument.canonicalYAML([settings, config]), jobConfigText: jobConfig,
                       update: update,
                       onComplete: previews == 0 ? nil : { _ in
                           try IntegrationReport.writePreviews(directory: directory, frames: previews)
                       })
        } catch let error as ConfigError {
            Launch.reject(error)
        }
    }
}
