import ArgumentParser
import Batch
import Core
import Foundation
import Ptycho

/// `beamforge ptycho-ingest`: a ptychography scan to one PtyPy/CXI-ready file.
struct PtychoIngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ptycho-ingest",
        abstract: "Turn a ptychography scan (areaDetector HDF5, or TIFFs + EPICS CSV) into one CXI 1.6 file for PtyPy.",
        discussion: """
            Scan positions (frames_per_pos consecutive frames each) are split across ranks; each rank reads only its \
            frames (one hyperslab per position) and all write DIR/ptycho.h5 collectively: dark subtraction (clamped \
            at 0), flat field normalised to mean 1, grouping, one ptypy orientation (--rotate clockwise, then \
            --flip), the ROI window (padded with masked pixels past the edge), binning (--bin) and CXI bit masks (given mask, hot \
            pixels from the darks, dead pixels from the flat, saturation on raw counts per position); --rect or --circ \
            keeps only the positions inside (stage coordinates, after grouping). The file \
            holds /entry (the original kit's schema, plus posx_m, posy_m and mask_valid), /entry_1 (CXI 1.6: \
            data_1, sample_1/geometry_1/translation, instrument_1/detector_1, source_1/energy in J) and \
            /entry_1/ptypy; also DIR/ptypy_params.json and DIR/meta.csv. A TIFF series (--pattern, frame number = \
            the last number in each name) is matched to its EPICS CSV (--csv) by frame_index, one to one. Quantities need units: 7000eV, 7keV, \
            2m, 172um; a path may carry one: /entry/.../Energy[keV], or read an attribute: /entry@energy.
            """)

    @OptionGroup var common: RunArguments

    @Argument(help: ArgumentHelp("The areaDetector NDFileHDF5 file (config key input).", valueName: "input.h5"))
    var input: String?

    @Option(name: .long, help: ArgumentHelp("A numbered TIFF series instead of an HDF5 input: a shell pattern, quoted.",
                                            valueName: "'scan_*.tif'"))
    var pattern: String?
    @Option(name: .long, help: ArgumentHelp("The EPICS CSV of a TIFF series (frame_index,posx_m,posy_m,energy_eV,det_dist_m,pixel_m,exposure_s), or an HDF5 sidecar with those columns as root datasets.",
                                            valueName: "file.csv"))
    var csv: String?
    @Option(name: .customLong("data-path"), help: "Frames dataset (default /entry/instrument/detector/data, then /entry/data/data).")
    var dataPath: String?
    @Option(name: .customLong("pos-x"), help: "Stage x dataset (default /entry/instrument/NDAttributes/SampleX).")
    var posX: String?
    @Option(name: .customLong("pos-y"), help: "Stage y dataset (default /entry/instrument/NDAttributes/SampleY).")
    var posY: String?
    @Option(name: .customLong("pos-units"), help: "Unit of the positions: m, mm, um or nm (default: their units attribute).")
    var posUnits: String?
    @Option(name: .customLong("pos-scale"), help: "Extra factor on positions, e.g. -1 for a reversed axis.")
    var posScale: Double?
    @Option(name: .customLong("dark-path"), help: "Dark frames dataset of the input.")
    var darkPath: String?
    @Option(name: .long, help: ArgumentHelp("A file of dark frames (HDF5 or TIFF).", valueName: "file"))
    var dark: String?
    @Option(name: .customLong("flat-path"), help: "Flat-field frames dataset of the input.")
    var flatPath: String?
    @Option(name: .long, help: ArgumentHelp("A file of flat-field frames (HDF5 or TIFF).", valueName: "file"))
    var flat: String?
    @Option(name: .customLong("mask-path"), help: "Static mask dataset of the input (non-zero = bad).")
    var maskPath: String?
    @Option(name: .long, help: ArgumentHelp("A static mask file: TIFF, or HDF5 at --mask-file-path (non-zero = bad).",
                                            valueName: "file"))
    var mask: String?
    @Option(name: .customLong("mask-file-path"), help: "The mask dataset in an HDF5 --mask file (default /mask).")
    var maskFilePath: String?
    @Option(name: .long, help: "Photon energy with its unit: 7000eV, 7keV or J.")
    var energy: String?
    @Option(name: .customLong("energy-path"), help: "Energy dataset or /path@attribute, optionally with [unit].")
    var energyPath: String?
    @Option(name: .long, help: "Sample-detector distance with its unit: 2m, 2000mm.")
    var distance: String?
    @Option(name: .customLong("distance-path"), help: "Distance dataset or /path@attribute, optionally with [unit].")
    var distancePath: String?
    @Option(name: .customLong("pixel-size"), help: "Detector pixel size with its unit: 172um, 75e-6m.")
    var pixelSize: String?
    @Option(name: .customLong("pixel-size-path"), help: "Pixel size dataset or /path@attribute, optionally with [unit].")
    var pixelSizePath: String?
    @Option(name: .long, help: "Exposure per frame in seconds.")
    var exposure: Double?
    @Option(name: .customLong("exposure-path"), help: "Exposure per frame dataset (seconds).")
    var exposurePath: String?
    @Option(name: .customLong("frames-per-pos"), help: "Consecutive exposures per scan position.")
    var framesPerPos: Int?
    @Option(name: .long, help: "sum, mean, median, first, best or none.")
    var grouping: String?
    @Option(name: .long, help: ArgumentHelp("Output window rows,columns (default: the whole oriented frame).", valueName: "ny,nx"))
    var roi: String?
    @Option(name: .long, help: ArgumentHelp("Window centre on the oriented frame: auto, or rows,columns in pixels or percent (50%).",
                                            valueName: "cy,cx|auto"))
    var center: String?
    @Option(name: .long, help: "Clockwise rotation: 0, 90, 180 or 270.")
    var rotate: Int?
    @Option(name: .long, help: "Flip after rotating: none, h, v or hv.")
    var flip: String?
    @Option(name: .long, help: "Raw counts at or above this are saturated (default: the maximum of unsigned frame types).")
    var sat: Double?
    @Flag(name: .long, help: "Compute ptycho-qc's features while ingesting and score them into DIR/qc (ptycho-qc's defaults).")
    var qc = false
    @Option(name: .long, help: "Sum N × N pixel bins after the window (the window's sides must be multiples of N).")
    var bin: Int?
    // One comma-separated value taken as it is (`.unconditional`), so that negative stage coordinates are not
    // mistaken for options.
    @Option(name: .long, parsing: .unconditional,
            help: ArgumentHelp("Only the positions inside this rectangle: centre, width, height in m or with units (2um).",
                               valueName: "CX,CY,W,H"))
    var rect: String?
    @Option(name: .long, parsing: .unconditional,
            help: ArgumentHelp("Only the positions inside this circle: centre and radius in m or with units.",
                               valueName: "CX,CY,R"))
    var circ: String?

    /// The options as config keys and YAML values.
    func keyValues() throws(ConfigError) -> [(key: String, value: String, flag: String)] {
        var o = OptionPairs()
        o.text("input", input, "input")
        o.text("pattern", pattern, "--pattern")
        o.text("csv", csv, "--csv")
        o.text("data_path", dataPath, "--data-path")
        o.text("pos_x", posX, "--pos-x")
        o.text("pos_y", posY, "--pos-y")
        o.text("pos_units", posUnits, "--pos-units")
        o.number("pos_scale", posScale, "--pos-scale")
        o.text("dark_path", darkPath, "--dark-path")
        o.text("dark", dark, "--dark")
        o.text("flat_path", flatPath, "--flat-path")
        o.text("flat", flat, "--flat")
        o.text("mask_path", maskPath, "--mask-path")
        o.text("mask", mask, "--mask")
        o.text("mask_file_path", maskFilePath, "--mask-file-path")
        o.text("energy", energy, "--energy")
        o.text("energy_path", energyPath, "--energy-path")
        o.text("distance", distance, "--distance")
        o.text("distance_path", distancePath, "--distance-path")
        o.text("pixel_size", pixelSize, "--pixel-size")
        o.text("pixel_size_path", pixelSizePath, "--pixel-size-path")
        o.number("exposure", exposure, "--exposure")
        o.text("exposure_path", exposurePath, "--exposure-path")
        o.number("frames_per_pos", framesPerPos, "--frames-per-pos")
        o.text("grouping", grouping, "--grouping")
        try o.sizes("roi", roi, "--roi")
        o.text("center", center, "--center")
        o.number("rotate", rotate, "--rotate")
        o.text("flip", flip, "--flip")
        o.number("sat", sat, "--sat")
        o.number("bin", bin, "--bin")
        if qc { o.yaml("qc", "true", "--qc") }
        o.yaml("rect", rect.map { "[\($0)]" }, "--rect")
        o.yaml("circ", circ.map { "[\($0)]" }, "--circ")
        return o.pairs
    }

    func run() throws {
        try common.printDefaultConfigIfAsked(.ptycho)
        do {
            var document = try ConfigDocument(path: common.config)
            for (key, value) in try common.keyOverrides() { try document.set(key, to: value, origin: "--set") }
            for pair in try keyValues() { try document.set(pair.key, to: pair.value, origin: pair.flag) }
            let settings = try document.decode(RunSettings.self)
            let config = try document.decode(PtychoConfig.self)
            try document.rejectUnknownKeys([settings, config])
            try settings.validate()
            let ptycho = try config.settings()
            let scan = ptycho.pattern == nil ? try ScanInputs(areaDetector: ptycho) : try ScanInputs(tiffs: ptycho)
            let job = try PtychoIngestJob(settings: ptycho, scan: scan)
            let directory = settings.out
            Launch.run(job, settings: settings, arguments: common,
                       configText: ConfigDocument.canonicalYAML([settings, config]),
                       jobConfigText: ConfigDocument.canonicalYAML([config]),
                       onComplete: { summary in
                           // The window's size and output centre do not depend on the centre found in set-up.
                           try PtypyParameters.json(file: summary.absoluteOutputFile, job: job)
                               .write(toFile: directory + "/ptypy_params.json", atomically: true, encoding: .utf8)
                       },
                       then: ptycho.qc ? { summary in try Self.qualityControl(summary, settings: settings) } : nil)
        } catch let error as ConfigError {
            Launch.reject(error)
        }
    }

    /// `--qc`: ptycho-qc with its defaults on the complete `DIR/ptycho.h5`, from the features stored while ingesting
    /// (no pattern is read again), into `DIR/qc`.
    static func qualityControl(_ summary: RunSummary, settings: RunSettings) throws -> FollowUp {
        var config = PtychoQCConfig()
        config.input = summary.absoluteOutputFile
        let job = try PtychoQCJob(settings: try config.settings(), storedFeatures: "/ptycho")
        var run = settings
        run.out = settings.out + "/qc"
        let directory = run.out
        return FollowUp(job: job, directory: directory, configText: ConfigDocument.canonicalYAML([run, config]),
                        jobConfigText: ConfigDocument.canonicalYAML([config]),
                        onComplete: { summary in try PtychoQCCommand.writeFiles(directory: directory, job: job, summary: summary) })
    }
}
