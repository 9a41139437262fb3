import ArgumentParser
import Core
import Foundation
import SAXS
import Yams

/// `beamforge saxs`: synthetic SAXS curves.
struct SAXSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "saxs",
        abstract: "Generate synthetic SAXS curves with counting noise into DIR/saxs.h5 and DIR/meta.csv.",
        discussion: """
            Each curve draws its parameters and instrument from counter-based random streams keyed by \
            (seed, curve), so the output is identical for any number of ranks. Instruments are listed under \
            'instruments' in the config, as file names (relative to the config) or inline mappings.
            """)

    @OptionGroup var common: RunArguments

    @Option(name: .customLong("n"), help: "Number of curves (config key n).")
    var n: Int?

    @Option(name: .long, help: "fast (one Poisson draw per q bin) or image (2-D frames) (config key detector).")
    var detector: String?

    @Option(name: .customLong("save-frames"), help: ArgumentHelp(
        "Image mode: keep the first K frames as TIFF files in DIR/frames/ (config key save_frames).", valueName: "K"))
    var saveFrames: Int?

    @Flag(name: .long, help: "Also write every curve as DIR/saxs/<uid>.dat (ATSAS three-column format).")
    var dat = false

    @Flag(name: .long, help: "Also write every curve as DIR/nxcansas/<uid>.h5 (NXcanSAS, loadable by SasView).")
    var nxcansas = false

    @Option(name: .long, help: ArgumentHelp(
        "Recompute the curves of DIR whose uids FILE lists (one per line, # comments) and put them in place.",
        valueName: "FILE"))
    var retry: String?

    func validate() throws {
        if retry != nil && (common.resume || common.overwrite) {
            throw ValidationError("--retry excludes --resume and --overwrite")
        }
    }

    func run() throws {
        try common.printDefaultConfigIfAsked(.saxs)
        do {
            var document = try ConfigDocument(path: common.config)
            // Inline instrument files first so that overrides such as instruments.1.flux reach their keys, and
            // again afterwards for files named by an override.
            try Self.inlineInstrumentFiles(&document)
            for (key, value) in try common.keyOverrides() { try document.set(key, to: value, origin: "--set") }
            if let n { try document.set("n", to: String(n), origin: "--n") }
            if let detector { try document.set("detector", to: RunArguments.quoted(detector), origin: "--detector") }
            if let saveFrames { try document.set("save_frames", to: String(saveFrames), origin: "--save-frames") }
            try Self.inlineInstrumentFiles(&document)
            let settings = try document.decode(RunSettings.self)
            let config = try document.decode(SAXSConfig.self)
            try document.rejectUnknownKeys([settings, config])
            try settings.validate()
            do { try config.validate() } catch { throw error.located(in: document.source) }
            let job: SAXSJob
            do {
                job = try SAXSJob(config: config, generator: "beamforge \(Beamforge.version)",
                                  baseDirectory: document.baseDirectory, writeDat: dat,
                                  writeNXcanSAS: nxcansas, levels: nil)
            } catch { throw ConfigError("\(document.source): \(error)") }
            let redo = try retry.map { try Self.retryItems(file: $0, job: job, seed: settings.seed) }
            Launch.run(job, settings: settings, arguments: common,
                       configText: ConfigDocument.canonicalYAML([settings, config]),
                       jobConfigText: ConfigDocument.canonicalYAML([config, ["seed": settings.seed]]),
                       redo: redo) { summary in
                // The dataset's quality report, from the per-curve QC columns of meta.csv.
                let text = try String(contentsOfFile: summary.metadataFile, encoding: .utf8)
                let report = QualityReport(try QualityReport.records(metadataCSV: text, file: summary.metadataFile))
                try report.write(to: settings.out)
                print(report.summary)
            }
        } catch let error as ConfigError {
            Launch.reject(error)
        }
    }

    /// The items named by a `--retry` file of uids.
    static func retryItems(file: String, job: SAXSJob, seed: UInt64) throws(ConfigError) -> [Int] {
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw ConfigError("--retry \(file): cannot read the file")
        }
        var uids: [String] = [], lines: [Int] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let uid = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if uid.isEmpty || uid.hasPrefix("#") { continue }
            uids.append(uid)
            lines.append(number + 1)
        }
        guard !uids.isEmpty else { throw ConfigError("--retry \(file): lists no uid") }
        switch job.items(ofUIDs: uids, seed: seed) {
        case .success(let items): return items
        case .failure(let unknown):
            throw ConfigError("--retry \(file) line \(lines[unknown.position]): '\(unknown.uid)' is not the uid of "
                                + "a curve of this configuration (n \(job.itemCount), seed \(seed))")
        }
    }

    /// Replaces each instrument given as a file name by that file's mapping (name defaults to the file's stem).
    static func inlineInstrumentFiles(_ document: inout ConfigDocument) throws(ConfigError) {
        guard let list = document["instruments"]?.sequence else { return }
        for (index, entry) in list.enumerated() {
            guard let file = entry.string else { continue }
            let path = file.hasPrefix("/") ? file : document.baseDirectory + "/" + file
            var node = try ConfigDocument.parse(file: path)
            if node.mapping?["name"] == nil {
                node["name"] = Node(((file as NSString).lastPathComponent as NSString).deletingPathExtension)
            }
            document.replace("instruments.\(index)", with: node)
        }
    }
}
