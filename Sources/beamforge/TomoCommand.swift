import ArgumentParser
import Core
import Foundation
import Sinograms
import Tomo

/// `beamforge tomo`: synthetic tomography training data for stripe removal.
struct TomoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tomo",
        abstract: "Generate sphere phantoms, their analytic sinograms and stripe artefacts (NoStripesNet's data).",
        discussion: """
            Samples are split across ranks. Each draws non-overlapping spheres, projects them in closed form \
            (TomoPhantom's geometry: N rows, floor(sqrt(2) N) columns, int(pi N / 2) angles over 0-179.9 degrees) \
            and adds stripes: simple mode applies TomoPhantom's stripe routine; complex mode measures the sample \
            through simulated flats with photon and electronic noise and a detector with defects, at --shifts \
            vertical positions. Writes DIR/tomo.h5 (/tomo/projection, clean, stripe or shifts, phantom; chunked \
            one sinogram per chunk), DIR/meta.csv and, with --tiff, NoStripesNet's uint16 TIFF tree.
            """)

    @OptionGroup var common: RunArguments

    @Option(name: [.customShort("r"), .long], help: ArgumentHelp("Output directory, an alias of --out.", valueName: "dir"))
    var root: String?

    @Option(name: [.customShort("m"), .long], help: "simple or complex (config key mode).")
    var mode: String?

    @Option(name: [.customShort("S"), .long], help: "Number of samples (config key samples).")
    var samples: Int?

    @Option(name: .long, help: "Number of the first sample (config key start).")
    var start: Int?

    @Option(name: [.customShort("N"), .long], help: "Phantom size N (config key size).")
    var size: Int?

    @Option(name: [.customShort("o"), .long], help: "Spheres per phantom (config key objects).")
    var objects: Int?

    @Option(name: [.customShort("s"), .long], help: "Complex mode: vertical detector positions (config key shifts).")
    var shifts: Int?

    @Option(name: [.customShort("p"), .customLong("shiftstep")], help: "Complex mode: rows between positions (config key shift_step).")
    var shiftStep: Int?

    @Option(name: [.customShort("f"), .customLong("flatsnum")], help: "Complex mode: flat fields (config key flats).")
    var flats: Int?

    @Option(name: [.customShort("I"), .customLong("I0")], help: "Complex mode: photons per pixel of the open beam (config key I0).")
    var i0: Double?

    @Flag(name: .long, help: "Also write NoStripesNet's uint16 TIFF tree (config key tiff).")
    var tiff = false

    func run() throws {
        try common.printDefaultConfigIfAsked(.tomo)
        do {
            var document = try ConfigDocument(path: common.config)
            // Samples are large: one per rank per write unless the configuration says otherwise.
            if document["batch_size"] == nil { try document.set("batch_size", to: "1", origin: "tomo default") }
            if let root { try document.set("out", to: RunArguments.quoted(root), origin: "--root") }
            for (key, value) in try common.keyOverrides() { try document.set(key, to: value, origin: "--set") }
            let settings = try document.decode(RunSettings.self)
            var config = try document.decode(TomoConfig.self)
            try document.rejectUnknownKeys([settings, config])
            try settings.validate()
            if let mode { config.mode = mode }
            if let samples { config.samples = samples }
            if let start { config.start = start }
            if let size { config.size = size }
            if let objects { config.objects = objects }
            if let shifts { config.shifts = shifts }
            if let shiftStep { config.shiftStep = shiftStep }
            if let flats { config.flats = flats }
            if let i0 { config.i0 = i0 }
            if tiff { config.tiff = true }
            let job = try TomoJob(config: config, seed: settings.seed)
            Launch.run(job, settings: settings, arguments: common,
                       configText: ConfigDocument.canonicalYAML([settings, config]),
                       jobConfigText: ConfigDocument.canonicalYAML([config, ["seed": settings.seed]]))
        } catch let error as ConfigError {
            Launch.reject(error)
        }
    }
}
