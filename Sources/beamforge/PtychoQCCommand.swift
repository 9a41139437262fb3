import ArgumentParser
import Batch
import Core
import Foundation
import Ptycho

/// `beamforge ptycho-qc FILE`: unsupervised quality control of the positions of an ingested ptychography scan.
struct PtychoQCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ptycho-qc",
        abstract: "Score every position of DIR/ptycho.h5 (or a CXI file) for outliers and write accept/reject lists.",
        discussion: """
            Per position (optionally a centred --roi of the pattern, binned --bin N), over its valid pixels: total and log intensity, maximum, saturated pixels, centre of mass \
            (px and mrad), radial moments, speckle contrast, correlation of its 16 × 16 log embedding with the \
            median embedding, and the PCA reconstruction error of the embedding (12 components of the covariance \
            summed over fixed blocks). Robust z per feature from the median and MAD over all positions; score = \
            Z²/(Z² + 6²) with Z the largest |z|. Rejected: score > 0.5 (default), --reject-topk K, --reject-topp p \
            or --reject-thresh T, among the positions inside --rect CX,CY,W,H or --circ CX,CY,R (m) when given. Outputs in --out \
            (default DIR/qc): qc.h5 (/qc/*), qc.csv, accept_indices.npy, reject_indices.npy, ptypy_indices.json, \
            qc_maps.png and qc_maps.npz (STXM, DPC-X/Y and score maps), thumbs/ and index.html (the worst patterns). \
            The result is the same for any number of ranks.
            """)

    @OptionGroup var common: RunArguments

    @Argument(help: ArgumentHelp("The ingested file (config key input), read only.", valueName: "ptycho.h5"))
    var input: String?

    @Option(name: .customLong("data-path"), help: "Patterns (default /entry_1/data_1/data).")
    var dataPath: String?
    @Option(name: .customLong("pos-x-path"), help: "Stage x in m, one per pattern (default /entry_1/ptypy/posx_m); a column of a 2-D dataset as PATH[:,K].")
    var posXPath: String?
    @Option(name: .customLong("pos-y-path"), help: "Stage y in m (default /entry_1/ptypy/posy_m); e.g. /entry_1/sample_1/geometry_1/translation[:,1].")
    var posYPath: String?
    @Option(name: .customLong("mask-path"), help: "Static mask, non-zero = bad (default the CXI detector mask if present).")
    var maskPath: String?
    @Option(name: .customLong("valid-path"), help: "Per-position valid mask, 1 = valid (default /entry_1/ptypy/mask_valid if present).")
    var validPath: String?
    @Option(name: .long, help: ArgumentHelp("Score a centred window of the patterns (default: whole).", valueName: "ny,nx"))
    var roi: String?
    @Option(name: .long, help: "Sum N × N pixel bins of the (windowed) patterns before the features.")
    var bin: Int?
    @Option(name: .customLong("embed-side"), help: "Embedding side in blocks (default 16).")
    var embedSide: Int?
    @Option(name: .customLong("pca-k"), help: "PCA components kept (default 12).")
    var pcaK: Int?
    @Option(name: .customLong("reject-topk"), help: "Reject the K highest scores.")
    var rejectTopk: Int?
    @Option(name: .customLong("reject-topp"), help: "Reject the highest fraction p of the scores.")
    var rejectTopp: Double?
    @Option(name: .customLong("reject-thresh"), help: "Reject scores above T (default 0.5).")
    var rejectThresh: Double?
    // One comma-separated value taken as it is (`.unconditional`), so that negative stage coordinates are not
    // mistaken for options.
    @Option(name: .long, parsing: .unconditional,
            help: ArgumentHelp("Only reject inside this rectangle: centre, width, height in m.", valueName: "CX,CY,W,H"))
    var rect: String?
    @Option(name: .long, parsing: .unconditional,
            help: ArgumentHelp("Only reject inside this circle: centre and radius in m.", valueName: "CX,CY,R"))
    var circ: String?
    @Option(name: .customLong("thumbs-topk"), help: "Thumbnails of the K highest-scoring patterns, with index.html (default 12; 0: none).")
    var thumbsTopk: Int?

    /// The options as config keys and YAML values.
    func keyValues() throws(ConfigError) -> [(key: String, value: String, flag: String)] {
        var o = OptionPairs()
        o.text("input", input, "input")
        o.text("data_path", dataPath, "--data-path")
        o.text("pos_x_path", posXPath, "--pos-x-path")
        o.text("pos_y_path", posYPath, "--pos-y-path")
        o.text("mask_path", maskPath, "--mask-path")
        o.text("valid_path", validPath, "--valid-path")
        try o.sizes("roi", roi, "--roi")
        o.number("bin", bin, "--bin")
        o.number("embed_side", embedSide, "--embed-side")
        o.number("pca_k", pcaK, "--pca-k")
        o.number("reject_topk", rejectTopk, "--reject-topk")
        o.number("reject_topp", rejectTopp, "--reject-topp")
        o.number("reject_thresh", rejectThresh, "--reject-thresh")
        o.yaml("rect", rect.map { "[\($0)]" }, "--rect")
        o.yaml("circ", circ.map { "[\($0)]" }, "--circ")
        o.number("thumbs_topk", thumbsTopk, "--thumbs-topk")
        return o.pairs
    }

    func run() throws {
        try common.printDefaultConfigIfAsked(.ptychoQC)
        do {
            var document = try ConfigDocument(path: common.config)
            if let input, common.out == nil, common.config == nil {
                // Beside the input by default: DIR/ptycho.h5 → DIR/qc.
                let folder = PathName.parent(input)
                try document.set("out", to: RunArguments.quoted(folder.isEmpty ? "qc" : folder + "/qc"), origin: "input")
            }
            for (key, value) in try common.keyOverrides() { try document.set(key, to: value, origin: "--set") }
            for pair in try keyValues() { try document.set(pair.key, to: pair.value, origin: pair.flag) }
            let settings = try document.decode(RunSettings.self)
            let config = try document.decode(PtychoQCConfig.self)
            try document.rejectUnknownKeys([settings, config])
            try settings.validate()
            let job = try PtychoQCJob(settings: try config.settings())
            let directory = settings.out
            Launch.run(job, settings: settings, arguments: common,
                       configText: ConfigDocument.canonicalYAML([settings, config]),
                       jobConfigText: ConfigDocument.canonicalYAML([config]),
                       onComplete: { summary in try Self.writeFiles(directory: directory, job: job, summary: summary) })
        } catch let error as ConfigError {
            Launch.reject(error)
        }
    }

    /// The files of a complete run in `directory`, made on rank 0: the lists, the maps and the thumbnails.
    static func writeFiles(directory: String, job: PtychoQCJob, summary: RunSummary) throws {
        try QCLists.write(directory: directory, qcFile: summary.absoluteOutputFile)
        try QCPictures.write(directory: directory, settings: job.settings, thumbnails: job.settings.thumbnails)
    }
}
