import Batch
import Core
import Foundation
import Plot
import Report

/// The pictures of a finished `orient` run, drawn by rank 0 from its meta.csv and orient.h5 into `DIR/pictures/`:
/// `S.png` (S ± σ), `fwhm.png` (pseudo-Voigt FWHM) and `chi0.png` (the director) versus field, time or sequence
/// index per band and model (rising and falling field sweeps as separate curves), `profile_<frame>.png` per chosen
/// frame (one panel per band: data ± σ and the fitted models), and `figures.csv`, every value drawn
/// (`figure, curve, x, y, error`); with `--maps`, `map_0.png`: the first frame's I(q∥, q⊥) and I(q, χ).
public enum OrientPictures {
    /// The folder inside the output directory.
    public static let folder = "pictures"
    /// Frames drawn when none are chosen: this many spread over the run.
    public static let defaultFrameCount = 4

    /// S, FWHM and the director versus the abscissa.
    static func versusFigures(_ figures: OrientFigures) throws -> [OrientFigures.Drawn] {
        [try figures.versus("S", "S", name: "S", error: "S_sigma"),
         try figures.versus("fwhm_deg", "FWHM (deg)", name: "fwhm", only: "pv"),
         try figures.versus("chi0_deg", "director (deg)", name: "chi0")]
    }

    /// The frames drawn: `chosen`, or ``defaultFrameCount`` spread over `count` frames.
    public static func frames(_ chosen: [Int]?, count: Int) -> [Int] {
        chosen ?? ItemSample.spread(Array(0..<count), count: defaultFrameCount)
    }

    /// Frame `frame`'s maps (`--maps`): I(q∥, q⊥) and I(q, χ), log colour scale, empty bins grey, y upwards.
    static func mapFigure(_ file: JobOutputFile, frame: Int) throws -> Figure {
        func panel(_ name: String, x: String, y: String, title: String, xLabel: String, yLabel: String,
                   equal: Bool) throws -> Axes {
            guard let shape = try file.shape(at: "/orient/\(name)"), shape.count == 3 else {
                throw ReportError("\(file.path): /orient/\(name) is not frames × rows × columns")
            }
            let (rows, columns) = (shape[1], shape[2])
            let values = try file.read(Double.self, at: "/orient/\(name)", offset: [frame, 0, 0], count: [1, rows, columns])
            // A raster's first row is drawn at the top: rows from the highest y down.
            let flipped = (0..<rows).reversed().flatMap { r in values[(r * columns)..<((r + 1) * columns)].map(Float.init) }
            func range(_ axis: String) throws -> ClosedRange<Double> {
                guard case .doubles(let r)? = try file.attribute("range", at: "/orient/\(axis)"), r.count == 2 else {
                    throw ReportError("\(file.path): /orient/\(axis) has no range")
                }
                return r[0]...r[1]
            }
            let raster = Raster(width: columns, height: rows, values: flipped, scale: .log, x: try range(x),
                                y: try range(y), colorBarLabel: "I")
            return Axes(title: title, x: Axis(xLabel), y: Axis(yLabel), series: [.raster(raster)], legend: .none,
                        equalAspect: equal)
        }
        return Figure([try panel("map_qpar_qperp", x: "map_q_par", y: "map_q_perp", title: "frame \(frame): I(q∥, q⊥)",
                                 xLabel: "q∥ (1/Å)", yLabel: "q⊥ (1/Å)", equal: true),
                       try panel("map_q_chi", x: "map_q", y: "map_chi", title: "frame \(frame): I(q, χ)",
                                 xLabel: "q (1/Å)", yLabel: "χ (deg)", equal: false)],
                      columns: 2, width: 860, height: 400)
    }

    /// Writes the pictures of the run in `directory` (a temporary folder renamed when all are written).
    /// - Parameter frames: the frames whose profiles are drawn (sequence indices, each < the frame count).
    /// - Throws: ``FormatError`` or ``PlotError`` naming the file that cannot be read or written.
    public static func write(directory: String, frames: [Int]) throws {
        let file = try JobOutputFile(directory: directory, job: "orient")
        defer { try? file.close() }
        let meta = try MetadataTable(path: directory + "/" + OrientJob.metaFileName)
        let figures = try OrientFigures(meta: meta)
        let target = directory + "/" + folder, temporary = target + ".partial"
        let manager = FileManager.default
        for path in [temporary, target] where manager.fileExists(atPath: path) { try manager.removeItem(atPath: path) }
        try manager.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        var points: [OrientFigures.Point] = []
        for drawn in try versusFigures(figures) {
            try drawn.figure.writePNG(to: "\(temporary)/\(drawn.name).png")
            points += drawn.points
        }
        let bands = OrientFigures.orderedUnique(figures.bands)
        for frame in frames {
            let panels = try bands.enumerated().map { try OrientFigures.profile(file, frame: frame, band: $0, label: $1) }
            try Figure(panels.map(\.axes), width: 460, height: 300 * Double(panels.count))
                .writePNG(to: "\(temporary)/profile_\(frame).png")
            points += panels.flatMap(\.points)
        }
        if try file.shape(at: "/orient/map_qpar_qperp") != nil {
            try mapFigure(file, frame: 0).writePNG(to: "\(temporary)/map_0.png")
        }
        var text = CSV.row(["figure", "curve", "x", "y", "error"]) + "\n"
        for p in points {
            text += CSV.row([p.figure, p.curve, OrientJob.text(p.x), OrientJob.text(p.y), OrientJob.text(p.error)]) + "\n"
        }
        do {
            try text.write(toFile: temporary + "/figures.csv", atomically: false, encoding: .utf8)
            try manager.moveItem(atPath: temporary, toPath: target)
        } catch {
            throw FormatError(file: target, message: "cannot write it: \(error)")
        }
    }
}
