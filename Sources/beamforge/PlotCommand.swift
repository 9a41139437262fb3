import ArgumentParser
import Core
import Foundation
import Plot
import POSIX

/// `beamforge plot FILE...`: SAXSDog's plotchi. I(q) of `.chi` files or of frames of an `integrated.h5`, with the
/// error band, to SVG or PNG; `-c` compares every curve with the first.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Plot I(q) of .chi files or integrated.h5 frames to SVG or PNG (SAXSDog's plotchi).",
        discussion: """
            FILE: a .chi file (new or old SAXSDog, or Fit2D; 2 or 3 columns), integrated.h5:FRAME, or integrated.h5 \
            (the frames of --frames, else every frame). With 3 columns (Idev in integrated.h5) a band I ± error is \
            drawn, its lower end clipped at 0.01. -c adds a panel of 100·(I − I_ref)/I_ref (%), the other curves \
            interpolated linearly onto the first curve's q. Runs on one process.
            """)

    @Argument(help: ArgumentHelp("Curves to plot.", valueName: "FILE"))
    var files: [String]

    @Option(name: [.short, .customLong("out")], help: ArgumentHelp("Figure to write; the suffix picks SVG or PNG.",
                                                                   valueName: "FILE.svg|FILE.png"))
    var out = "plot.svg"

    @Flag(name: [.short, .customLong("compare")], help: "Compare every curve with the first (relative error panel).")
    var compare = false

    @Flag(name: [.short, .customLong("log")], help: "Logarithmic intensity axis (as -y log).")
    var log = false

    @Flag(name: [.short, .customLong("no-legend")], help: "Draw no legend.")
    var noLegend = false

    @Option(name: [.short, .long], help: ArgumentHelp("Title (default: the last file's name).", valueName: "TEXT"))
    var title: String?

    @Option(name: [.short, .long], help: ArgumentHelp("Leave out the first N points of every curve.", valueName: "N"))
    var skip = 0

    @Option(name: [.customShort("k"), .long], help: ArgumentHelp("Leave out the last N points of every curve (0: none).",
                                                                 valueName: "N"))
    var clip = 1

    @Option(name: [.customShort("x"), .customLong("xscale")], help: ArgumentHelp("q axis: linear, log or symlog.",
                                                                               valueName: "scale"))
    var xScale = "linear"

    @Option(name: [.customShort("y"), .customLong("yscale")], help: ArgumentHelp("Intensity axis: linear, log or symlog (default linear, log with -l).",
                                                                               valueName: "scale"))
    var yScale: String?

    @Option(help: ArgumentHelp("Frames of the .h5 files to plot (default every frame).", valueName: "i,j,..."))
    var frames: String?

    @Option(help: ArgumentHelp("The integration of the .h5 files (/integrated/GROUP).", valueName: "GROUP"))
    var group = PlotCurves.defaultGroup

    @Option(help: ArgumentHelp("Label of the q axis (default q [1/nm], or the unit an .h5 file names).", valueName: "TEXT"))
    var xlabel: String?

    @Option(help: ArgumentHelp("Label of the intensity axis.", valueName: "TEXT"))
    var ylabel = "Intensity [counts/pixel]"

    @Option(help: ArgumentHelp("Figure width in points (a PNG has 2 pixels per point).", valueName: "PT"))
    var width = 480.0

    @Option(help: ArgumentHelp("Figure height in points (default 360, 560 with -c: two panels).", valueName: "PT"))
    var height: Double?

    @Option(name: .customLong("data-out"), help: ArgumentHelp("Also write the drawn values as CSV (panel, curve, x, y, error).",
                                                              valueName: "FILE.csv"))
    var dataOut: String?

    func run() throws {
        do {
            let plot = try makePlot()
            let suffix = (out as NSString).pathExtension.lowercased()
            let temporary = out + ".plot.tmp"
            do {
                if suffix == "png" { try plot.figure().writePNG(to: temporary) } else { try plot.figure().writeSVG(to: temporary) }
                try FileSystem.rename(temporary, to: out)
            } catch {
                try? FileManager.default.removeItem(atPath: temporary)
                throw ConfigError(key: out, "cannot write the figure: \(error)")
            }
            if let dataOut { try writeData(plot.points(), to: dataOut) }
            print("wrote \(out) (\(plot.curves.count) curve\(plot.curves.count == 1 ? "" : "s"))")
        } catch let error as ConfigError {
            Launch.reject(error)
        }
    }

    /// The options checked and the curves read, trimmed and ready to draw.
    func makePlot() throws(ConfigError) -> CurvePlot {
        let suffix = (out as NSString).pathExtension.lowercased()
        guard suffix == "svg" || suffix == "png" else {
            throw ConfigError(key: "--out", "must end in .svg or .png (got '\(out)')")
        }
        guard skip >= 0 else { throw ConfigError(key: "--skip", "must be 0 or more (got \(skip))") }
        guard clip >= 0 else { throw ConfigError(key: "--clip", "must be 0 or more (got \(clip))") }
        let height = self.height ?? (compare ? 560 : 360)
        guard width >= 50 && width <= 10_000, height >= 50 && height <= 10_000 else {
            throw ConfigError(key: "--width/--height", "must lie in 50...10000 points")
        }
        let x = try scale(xScale, flag: "--xscale")
        let y = try scale(yScale ?? (log ? "log" : "linear"), flag: "--yscale")
        if log && y != .log { throw ConfigError(key: "--log", "contradicts --yscale \(yScale ?? "")") }
        let frameList = try frames.map { text throws(ConfigError) -> [Int] in
            let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            let numbers = parts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !parts.isEmpty, numbers.count == parts.count, numbers.allSatisfy({ $0 >= 0 }) else {
                throw ConfigError(key: "--frames", "must be frame numbers separated by commas (got '\(text)')")
            }
            return numbers
        }
        let read: (curves: [PlotCurve], unit: String?)
        do { read = try PlotCurves.read(files, frames: frameList, group: group) } catch let error as ConfigError { throw error } catch {
            throw ConfigError("\(error)")
        }
        let curves = read.curves.map { PlotCurve(label: $0.label, curve: $0.curve.trimmed(skip: skip, clip: clip)) }
        for c in curves where c.curve.x.isEmpty {
            throw ConfigError(key: c.label, "no points left after --skip \(skip) and --clip \(clip)")
        }
        if compare {
            guard curves.count >= 2 else { throw ConfigError(key: "--compare", "needs at least two curves") }
            guard curves[0].curve.isSorted else { throw ConfigError(key: curves[0].label, "q is not sorted: cannot compare") }
            for c in curves.dropFirst() where !c.curve.isSorted {
                throw ConfigError(key: c.label, "q is not sorted: cannot interpolate it onto the first curve")
            }
        }
        var plot = CurvePlot(curves: curves, xScale: x, yScale: y, compare: compare, legend: !noLegend)
        plot.title = title ?? files.last.map { (PlotCurves.split($0).path as NSString).lastPathComponent }
        plot.xLabel = xlabel ?? read.unit.map { "q [\($0)]" } ?? "q [1/nm]"
        plot.yLabel = ylabel
        (plot.width, plot.height) = (width, height)
        return plot
    }

    func scale(_ name: String, flag: String) throws(ConfigError) -> ScaleKind {
        guard let kind = ScaleKind(rawValue: name) else {
            throw ConfigError(key: flag, "must be linear, log or symlog (got '\(name)')")
        }
        return kind
    }

    /// The drawn values as RFC 4180 CSV with a header row; numbers as Swift prints them (shortest round trip).
    func writeData(_ points: [CurvePlot.Point], to path: String) throws(ConfigError) {
        var text = CSV.row(["panel", "curve", "x", "y", "error"]) + "\n"
        for p in points {
            text += CSV.row([p.panel, p.curve, "\(p.x)", "\(p.y)", p.error.isNaN ? "" : "\(p.error)"]) + "\n"
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw ConfigError(key: "--data-out", "cannot write \(path)")
        }
    }
}
