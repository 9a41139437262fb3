import ArgumentParser
import Core
import Formats
import Foundation
import Integration

/// `beamforge orient`: azimuthal profiles of oriented scattering patterns in q bands.
struct OrientCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orient",
        abstract: "Azimuthal profiles I(chi) of oriented scattering patterns in q bands, with each frame's field and time.",
        discussion: """
            Frames (ESRF ID02 HDF5 files, EDF files, TIFF files, HDF5 stacks, directories, @list files) are split \
            across ranks; one sparse matrix (exact pixel splitting, chi periodic) maps a frame to I(chi) in every \
            q band. The geometry comes from --calibration (SAXSDog JSON or pyFAI PONI) or from the ID02/EDF \
            headers (Center_1/2, PSize_1/2, SampleDistance, WaveLength; pixel centres at i + 0.5 as pyFAI). \
            Each profile is fitted (weighted Levenberg-Marquardt, cminpack) with a Maier-Saupe distribution \
            through the reflection's projection and a pseudo-Voigt pair, giving the order parameter S with its \
            sigma. Writes DIR/orient.h5 (/orient/profile_I, profile_sigma, profile_count as frames x bands x chi \
            bins; fit_ms, fit_pv with sigma, S, S_sigma, r2, chi2_red, fit_status as frames x bands x models; \
            chi, q_bands, field_mT, time_s), DIR/meta.csv (one row per frame x band x model), DIR/frames.csv \
            (one row per frame) and DIR/pictures/ (S, FWHM, director versus field or time; fitted \
            profiles of --plot-frames).
            """)

    @OptionGroup var common: RunArguments

    @Option(name: .long, help: ArgumentHelp("SAXSDog calibration (.json) or pyFAI PONI file; default: the inputs' "
                                            + "ID02/EDF headers (config key calibration).", valueName: "file"))
    var calibration: String?

    @Option(name: .long, help: ArgumentHelp("Band centres in 1/angstrom, comma-separated (config key q).", valueName: "q,..."))
    var q: String?

    @Option(name: .long, help: ArgumentHelp("A crystallographic reflection h,k,l: a band at q = 2 pi/d_hkl of the "
                                            + "cell (repeatable; after the --q bands; config key reflections).",
                                            valueName: "h,k,l"))
    var reflection: [String] = []

    @Option(name: .long, help: ArgumentHelp("Unit cell of the reflections: a,b,c in angstrom, alpha,beta,gamma in "
                                            + "degrees (config key cell).", valueName: "a,b,c,al,be,ga"))
    var cell: String?

    @Option(name: .long, help: ArgumentHelp("CIF file whose _cell_length_* and _cell_angle_* lines give the cell "
                                            + "(config key cif).", valueName: "file"))
    var cif: String?

    @Option(name: .long, help: ArgumentHelp("Band width in 1/angstrom (config key dq).", valueName: "W"))
    var dq: Double?

    @Option(name: .customLong("dq-rel"), help: ArgumentHelp("Band width relative to its centre (config key dq_rel).",
                                                            valueName: "R"))
    var dqRel: Double?

    @Option(name: .customLong("chi-bin"), help: ArgumentHelp("Width of a chi bin in degrees; 360 must be a whole "
                                                             + "number of them (default 1; config key chi_bin).", valueName: "DEG"))
    var chiBin: Double?

    @Option(name: .customLong("min-pixels"), help: ArgumentHelp(
        "Refuse a band with fewer split pixels than this per chi bin on average (default 1; config key min_pixels).",
        valueName: "N"))
    var minPixels: Double?

    @Flag(name: .customLong("solid-angle"), help: "Divide each pixel by its relative solid angle, cos^3 (config key solid_angle).")
    var solidAngle = false

    @Option(name: .customLong("field-from"), help: ArgumentHelp(
        "title (the <number>mT|T in the title; default) or none (config key field_from).", valueName: "source"))
    var fieldFrom: String?

    @Option(name: .long, help: ArgumentHelp("Mask: Fit2D .msk, EDF or TIFF image, nonzero = masked (config key mask).",
                                            valueName: "file"))
    var mask: String?

    @Option(name: .customLong("data-path"), help: ArgumentHelp(
        "Frames dataset in HDF5 inputs; default: the first of /entry_0000/measurement/data (ESRF ID02), "
            + "/entry1/detector/data, /entry/instrument/detector/data, /entry/data/data.", valueName: "path"))
    var dataPath: String?

    @Option(name: .long, help: "Exclude pixels at or above this count (default: the maximum of unsigned frame types).")
    var overflow: Double?

    @Option(name: .long, help: ArgumentHelp("Models fitted to each profile: ms (Maier-Saupe), pv (pseudo-Voigt), "
                                            + "comma-separated (default ms,pv; config key model).", valueName: "ms,pv"))
    var model: String?

    @Option(name: .customLong("reflection-type"), help: ArgumentHelp(
        "equatorial (peaks perpendicular to the director; default) or meridional (config key reflection_type).",
        valueName: "type"))
    var reflectionType: String?

    @Option(name: .long, help: ArgumentHelp(
        "Director azimuth in degrees, measured like chi (0 = along +columns, horizontal; default 0), for the q_par "
            + "and q_perp maps in /orient/geometry (config key director).", valueName: "DEG"))
    var director: Double?

    @Flag(name: .long, help: ArgumentHelp("Per frame, the 2-D maps I(q, chi) and I(q_par, q_perp) (no pixel "
                                          + "splitting, as pyFAI integrate2d's histogram) in orient.h5 (config key maps)."))
    var maps = false

    @Option(name: .customLong("map-bins"), help: ArgumentHelp("Bins of the maps' q axes (default 100; config key "
                                                              + "map_bins).", valueName: "N"))
    var mapBins: Int?

    @Flag(name: .long, help: ArgumentHelp("Per frame, SasView's 2-D files in DIR/sasview: NIST 4-column ASCII "
                                          + "(.dat) and 2-D NXcanSAS (.h5) (config key sasview)."))
    var sasview = false

    @Option(name: .customLong("plot-frames"), help: ArgumentHelp(
        "Frames (sequence indices) whose fitted profiles are drawn in DIR/pictures, comma-separated (default: "
            + "\(OrientPictures.defaultFrameCount) spread over the run; config key plot_frames).", valueName: "i,..."))
    var plotFrames: String?

    @Argument(help: ArgumentHelp("Frames: ID02 HDF5, EDF, TIFF or HDF5 files, directories, @list files.",
                                 valueName: "input"))
    var inputs: [String] = []

    func run() throws {
        try common.printDefaultConfigIfAsked(.orient)
        do {
            var document = try ConfigDocument(path: common.config)
            for (key, value) in try common.keyOverrides() { try document.set(key, to: value, origin: "--set") }
            let settings = try document.decode(RunSettings.self)
            var config = try document.decode(OrientConfig.self)
            try document.rejectUnknownKeys([settings, config])
            try settings.validate()
            let base = document.baseDirectory
            func relative(_ path: String) -> String { path.hasPrefix("/") || path.hasPrefix("@/") ? path
                : path.hasPrefix("@") ? "@" + base + "/" + path.dropFirst() : base + "/" + path }
            config.calibration = calibration ?? config.calibration.map(relative)
            config.inputs = inputs.isEmpty ? config.inputs.map(relative) : inputs
            config.mask = mask ?? config.mask.map(relative)
            config.dataPath = dataPath ?? config.dataPath
            if let q {
                config.q = try q.split(separator: ",").map { text throws(ConfigError) -> Double in
                    guard let value = Double(text.trimmingCharacters(in: .whitespaces)) else {
                        throw ConfigError(key: "--q", "'\(text)' is not a number (give centres in 1/angstrom, e.g. 0.05,0.10)")
                    }
                    return value
                }
            }
            if !reflection.isEmpty {
                config.reflections = try reflection.map { text throws(ConfigError) -> [Int] in
                    let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
                    guard parts.count == 3, let hkl = parts as? [Int] else {
                        throw ConfigError(key: "--reflection", "'\(text)' is not h,k,l (three integers, e.g. 1,1,0)")
                    }
                    return hkl
                }
            }
            if let cell {
                config.cell = try cell.split(separator: ",").map { text throws(ConfigError) -> Double in
                    guard let value = Double(text.trimmingCharacters(in: .whitespaces)) else {
                        throw ConfigError(key: "--cell", "'\(text)' is not a number (give a,b,c,alpha,beta,gamma)")
                    }
                    return value
                }
            }
            config.cif = cif ?? config.cif.map(relative)
            if let path = config.cif {
                let values: [Double]
                do { values = try CIFCell(contentsOf: path).values } catch { throw ConfigError("\(error)") }
                // A config recorded from a CIF run holds both, alike.
                guard config.cell == nil || config.cell == values else {
                    throw ConfigError(key: "cif", "give one of --cell and --cif, not both")
                }
                config.cell = values
            }
            if let dq { config.dq = dq }
            if let dqRel { config.dqRel = dqRel }
            if let chiBin { config.chiBin = chiBin }
            if let minPixels { config.minPixels = minPixels }
            if solidAngle { config.solidAngle = true }
            if let fieldFrom { config.fieldFrom = fieldFrom }
            if let overflow { config.overflow = overflow }
            if let model { config.model = model }
            if let reflectionType { config.reflectionType = reflectionType }
            if let director { config.director = director }
            if maps { config.maps = true }
            if sasview { config.sasview = true }
            if let mapBins { config.mapBins = mapBins }
            if let plotFrames {
                config.plotFrames = try plotFrames.split(separator: ",").map { text throws(ConfigError) -> Int in
                    guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
                        throw ConfigError(key: "--plot-frames", "'\(text)' is not a frame index (give e.g. 0,5,9)")
                    }
                    return value
                }
            }
            try config.validate()
            let options = try config.settings()

            let job: OrientJob
            var calibrationText = ""
            do {
                let frames = try FrameInputs(config.inputs, dataPath: config.dataPath)
                var loaded: Calibration? = nil
                if let path = config.calibration {
                    loaded = try Calibration.load(path, imageSize: try frames.firstFrameSize())
                    calibrationText = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
                    if Launch.launcherRank == 0 {
                        for warning in loaded?.warnings ?? [] {
                            FileHandle.standardError.write(Data("beamforge: warning: \(warning)\n".utf8))
                        }
                    }
                }
                job = try OrientJob(inputs: frames, settings: options, calibration: loaded, mask: config.mask)
            } catch let error as ConfigError {
                throw error
            } catch {
                throw ConfigError("\(error)")
            }
            var recorded = config
            recorded.inputs = []
            let jobConfig = ConfigDocument.canonicalYAML([recorded]) + "# calibration file\n" + calibrationText
            Launch.run(job, settings: settings, arguments: common,
                       configText: ConfigDocument.canonicalYAML([settings, config]), jobConfigText: jobConfig,
                       metadataFileName: OrientJob.framesFileName) { _ in
                try job.writeMetaTable(directory: settings.out)
                print("fits: \(settings.out)/\(OrientJob.metaFileName) (one row per frame x band x model)")
                try OrientPictures.write(directory: settings.out,
                                         frames: OrientPictures.frames(options.plotFrames, count: job.itemCount))
                print("pictures: \(settings.out)/\(OrientPictures.folder)/")
            }
        } catch let error as ConfigError {
            Launch.reject(error)
        }
    }
}
