import Batch
import Core
import Foundation
import Plot
import Report

/// The pictures of a finished `orient` run, drawn by rank 0 from its meta.csv and orient.h5 into `DIR/pictures/`:
/// `S.png` (S ± σ), `fwhm.png` (pseudo-Voigt FWHM) and `chi0.png` (the director) versus field, time or sequence
/// index per band and model (rising and falling field sweeps as separate curves), `profile_<frame>.png` per chosen
/// frame (one panel per band: data ± σ and the fitted models), and `figures.csv`, every value drawn
/// (`figure, curve, x, y, error`).
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
